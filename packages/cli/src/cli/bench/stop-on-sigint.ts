import { log } from "./log.js";

/** The signals a run watches, tied to Ctrl-C, and the way to untie them. */
export interface SigintStop {
  /** Aborted by the first Ctrl-C: no new requests, and those in flight may finish. */
  signal: AbortSignal;
  /** Aborted by the second Ctrl-C: the requests in flight are cancelled. */
  cancelSignal: AbortSignal;
  /** Removes the SIGINT listener. */
  dispose(): void;
}

/**
 * Listens for Ctrl-C during a run: the first stops it, saying it waits up to `drainTimeoutS` for the requests in
 * flight; a second cancels them.
 * @example const sigint = stopOnSigint(30); try { await benchCommand(options, { ...sigint }) } finally { sigint.dispose() }
 */
export function stopOnSigint(drainTimeoutS: number): SigintStop {
  const tty = process.stderr.isTTY === true;
  const stop = new AbortController();
  const cancel = new AbortController();
  const onSigint = () => {
    if (!stop.signal.aborted) {
      if (tty) process.stderr.write("\n");
      log(
        `infermark: stopping; waiting up to ${drainTimeoutS} s for requests in flight (Ctrl-C again cancels them)`,
      );
      stop.abort();
    } else cancel.abort();
  };
  process.on("SIGINT", onSigint);
  return {
    signal: stop.signal,
    cancelSignal: cancel.signal,
    dispose: () => process.off("SIGINT", onSigint),
  };
}
