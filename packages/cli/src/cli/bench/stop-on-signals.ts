import { log } from "./log.js";

/** The signals that stop a run at once, as a job's cancel or a closed terminal sends them. */
export type TerminatingSignal = "SIGTERM" | "SIGHUP";

/** The exit status of a run each terminating signal stopped: 128 + the signal's number, as a shell reports it. */
export const SIGNAL_EXIT_STATUS: Record<TerminatingSignal, number> = { SIGHUP: 129, SIGTERM: 143 };

/** The signals a run watches, tied to Ctrl-C, SIGTERM and SIGHUP, and the way to untie them. */
export interface StopSignals {
  /** Aborted by the first Ctrl-C or by SIGTERM or SIGHUP: no new requests. */
  signal: AbortSignal;
  /** Aborted by a second Ctrl-C or by SIGTERM or SIGHUP: the requests in flight are cancelled. */
  cancelSignal: AbortSignal;
  /** SIGTERM or SIGHUP when one stopped the run (its exit status is then `SIGNAL_EXIT_STATUS`'s), else undefined. */
  readonly terminatedBy: TerminatingSignal | undefined;
  /** Removes the listeners. */
  dispose(): void;
}

/**
 * Listens for Ctrl-C, SIGTERM and SIGHUP during a run. The first Ctrl-C stops it, saying it waits up to
 * `drainTimeoutS` for the requests in flight; a second cancels them. SIGTERM (what `scancel`, a CI runner's cancel,
 * `timeout` and `docker stop` send, with a SIGKILL some seconds later) and SIGHUP (the terminal closed, an ssh
 * session dropped: nobody is left to press Ctrl-C) stop and cancel at once, so that the finished levels and the
 * interrupted one are written before the kill.
 * @example const stop = stopOnSignals(30); try { await benchCommand(options, { ...stop }) } finally { stop.dispose() }
 */
export function stopOnSignals(drainTimeoutS: number): StopSignals {
  const tty = process.stderr.isTTY === true;
  const stop = new AbortController();
  const cancel = new AbortController();
  let terminatedBy: TerminatingSignal | undefined;
  const onSigint = () => {
    if (!stop.signal.aborted) {
      if (tty) process.stderr.write("\n");
      log(
        `infermark: stopping; waiting up to ${drainTimeoutS} s for requests in flight (Ctrl-C again cancels them)`,
      );
      stop.abort();
    } else cancel.abort();
  };
  const onTerminate = (signal: TerminatingSignal) => {
    terminatedBy ??= signal;
    log(`infermark: ${signal}: stopping; cancelling the requests in flight`);
    stop.abort();
    cancel.abort();
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onTerminate);
  process.on("SIGHUP", onTerminate);
  return {
    signal: stop.signal,
    cancelSignal: cancel.signal,
    get terminatedBy() {
      return terminatedBy;
    },
    dispose: () => {
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onTerminate);
      process.off("SIGHUP", onTerminate);
    },
  };
}
