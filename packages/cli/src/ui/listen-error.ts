import { UsageError } from "../errors.js";

/**
 * A server that cannot listen, as one line naming the flag to change (Node's `listen EADDRINUSE: address already in
 * use 127.0.0.1:8080` names neither); other errors are returned as they are.
 * @example throw listenError(error, 8080, "127.0.0.1")
 */
export function listenError(error: unknown, port: number, host: string): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === "EADDRINUSE")
    return new UsageError(
      `--port ${port} is in use on ${host}: give another port, or --port 0 for a free one`,
    );
  if (code === "EACCES")
    return new UsageError(
      `--port ${port} needs privileges on this machine (ports below 1024 do): give a port from 1024, or --port 0 for a free one`,
    );
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN")
    return new UsageError(
      `--host ${host} is not an address of this machine (${code}): give one of its addresses, 127.0.0.1, or 0.0.0.0 for all`,
    );
  return error;
}
