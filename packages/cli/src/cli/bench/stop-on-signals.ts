import { log } from "./log.js";

/** The signals a run watches, tied to Ctrl-C and SIGTERM, and the way to untie them. */
export interface StopSignals {
  /** Aborted by the first Ctrl-C or by SIGTERM: no new requests. */
  signal: AbortSignal;
  /** Aborted by a second Ctrl-C or by SIGTERM: the requests in flight are cancelled. */
  cancelSignal: AbortSignal;
  /** SIGTERM when it stopped the run (its exit status is then 143), else undefined. */
  readonly terminatedBy: "SIGTERM" | undefined;
  /** Removes the listeners. */
  dispose(): void;
}

/**
 * Listens for Ctrl-C and SIGTERM during a run. The first Ctrl-C stops it, saying it waits up to `drainTimeoutS` for
 * the requests in flight; a second cancels them. SIGTERM (what `scancel`, a CI runner's cancel, `timeout` and
 * `docker stop` send, with a SIGKILL some seconds later) stops and cancels at once, so that the finished levels and
 * the interrupted one are written before the kill.
 * @example const stop = stopOnSignals(30); try { await benchCommand(options, { ...stop }) } finally { stop.dispose() }
 */
export function stopOnSignals(drainTimeoutS: number): StopSignals {
  const tty = process.stderr.isTTY === true;
  const stop = new AbortController();
  const cancel = new AbortController();
  let terminatedBy: "SIGTERM" | undefined;
  const onSigint = () => {
    if (!stop.signal.aborted) {
      if (tty) process.stderr.write("\n");
      log(
        `infermark: stopping; waiting up to ${drainTimeoutS} s for requests in flight (Ctrl-C again cancels them)`,
      );
      stop.abort();
    } else cancel.abort();
  };
  const onSigterm = () => {
    terminatedBy = "SIGTERM";
    log("infermark: SIGTERM: stopping; cancelling the requests in flight");
    stop.abort();
    cancel.abort();
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigterm);
  return {
    signal: stop.signal,
    cancelSignal: cancel.signal,
    get terminatedBy() {
      return terminatedBy;
    },
    dispose: () => {
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onSigterm);
    },
  };
}
