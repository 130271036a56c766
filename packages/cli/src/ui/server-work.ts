import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** Per connection: how many requests the server is working on, and the stall timeout to put back after them. */
const working = new WeakMap<Socket, { count: number; timeoutMs: number }>();

/**
 * Runs `work`, the server's own part of an answer (a query, a write waiting for the store's lock), with its
 * connection's stall timer (`server.timeout`, UiServerOptions.stallTimeoutMs) off, and puts the timer back once the
 * work ends, so that it bounds the sending of the answer again. The timer is there for a client that stops sending
 * or reading; a write that waits 60 s for a lock and then runs statements of up to 90 s is the server's silence,
 * and a connection closed under it would lose the answer of a write that went on to commit. The work is bounded by
 * the store's own timeouts (UI_POSTGRES_TIMEOUTS, the busy waits).
 * @example const result = await whileServerWorks(res, () => store.ingest(points))
 */
export async function whileServerWorks<T>(res: ServerResponse, work: () => Promise<T>): Promise<T> {
  const socket = res.socket;
  if (!socket) return work();
  const entry = working.get(socket);
  if (entry) entry.count++;
  else {
    // no timer set (a handler mounted on a server of its own without one): nothing to lift
    if (!socket.timeout) return work();
    working.set(socket, { count: 1, timeoutMs: socket.timeout });
    socket.setTimeout(0);
  }
  try {
    return await work();
  } finally {
    const left = working.get(socket)!;
    if (--left.count === 0) {
      working.delete(socket);
      // an answer already sent has had Node set the keep-alive timeout in its place
      if (!socket.destroyed && !res.writableFinished) socket.setTimeout(left.timeoutMs);
    }
  }
}
