import { setImmediate as nextMacrotask } from "node:timers/promises";

/** Write errors of a stdout or stderr whose reader is gone: a closed pipe (EPIPE), a hung-up terminal (EIO). */
const READER_GONE = new Set(["EPIPE", "EIO", "ECONNRESET", "ERR_STREAM_DESTROYED"]);

/**
 * Lets a run outlive its stdout and stderr: once the terminal is closed (SIGHUP; writes then fail with EIO) or a
 * pipe's reader has exited (EPIPE), writing a line must not end the process before the levels' files are written.
 * Until the returned function is called, such a write error is dropped (the streams' own error listeners, such as
 * the CLI's quiet exit on a closed stdout, are set aside); any other error is thrown as it was. The returned function
 * waits for the errors of the last writes (they come a tick after the write), then puts those listeners back.
 * @example const restore = outliveClosedOutput(); try { await run() } finally { await restore() }
 */
export function outliveClosedOutput(): () => Promise<void> {
  const streams = [process.stdout, process.stderr];
  const saved = streams.map((stream) => stream.listeners("error") as ((error: Error) => void)[]);
  const onError = (error: NodeJS.ErrnoException) => {
    if (!READER_GONE.has(error.code ?? "")) throw error;
  };
  for (const stream of streams) {
    stream.removeAllListeners("error");
    stream.on("error", onError);
  }
  return async () => {
    await nextMacrotask();
    streams.forEach((stream, i) => {
      stream.off("error", onError);
      for (const listener of saved[i]!) stream.on("error", listener);
    });
  };
}
