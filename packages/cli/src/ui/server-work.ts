import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** Per connection: how many of its requests the server is working on (a query, a write waiting for a lock). */
const working = new WeakMap<Socket, number>();

/**
 * Runs `work`, the server's own part of an answer (a query, a write waiting for the store's lock), marking its
 * connection as one the server is working for, so that the stall timeout (`server.timeout`,
 * UiServerOptions.stallTimeoutMs) does not close it meanwhile (`closeStalled`). The timer is there for a client that
 * stops sending or reading; a write that waits 60 s for a lock and then runs statements of up to 90 s is the server's
 * silence, and a connection closed under it would lose the answer of a write that went on to commit. The work is
 * bounded by the store's own timeouts (UI_POSTGRES_TIMEOUTS, the busy waits). The connection is the request's
 * (`res.req.socket`): a pipelined request's answer has no socket of its own until the answers before it are sent.
 * @example const result = await whileServerWorks(res, () => store.ingest(points))
 */
export async function whileServerWorks<T>(res: ServerResponse, work: () => Promise<T>): Promise<T> {
  const socket = res.req.socket;
  working.set(socket, (working.get(socket) ?? 0) + 1);
  try {
    return await work();
  } finally {
    const left = (working.get(socket) ?? 1) - 1;
    if (left > 0) working.set(socket, left);
    else working.delete(socket);
  }
}

/**
 * The server's `timeout` listener: a connection silent for the stall timeout (or idle past the keep-alive timeout)
 * is closed, unless the server is working on one of its requests (`whileServerWorks`); then it is let be, and the
 * timer starts again with the answer's first write. (With a listener, Node leaves the closing to it.)
 */
export function closeStalled(socket: Socket): void {
  if (!working.has(socket)) socket.destroy();
}
