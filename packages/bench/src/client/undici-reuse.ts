import { subscribe } from "node:diagnostics_channel";

/** Requests written per socket (undici's sockets, and those of Node's built-in fetch, which publishes alike). */
const written = new WeakMap<object, number>();
/** undici's requests that went out on a connection that had carried a request before: the socket and its bytes read then. */
const onReused = new WeakMap<object, { socket: { bytesRead: number }; bytesRead: number }>();
/** The errors undici failed those requests with before any byte of their answer was read. */
const unansweredErrors = new WeakSet<object>();
let watching = false;

/**
 * Starts following, through undici's diagnostics channels (`undici:client:sendHeaders`,
 * `undici:request:error`), which requests are written on a kept-alive connection and whether any byte came back
 * on it after, so that `unansweredOnReusedConnection` can tell a request the server dropped with an idle connection
 * (its keep-alive timeout, as the request arrived) from one it refused on a new connection or began to answer.
 * Idempotent; once per thread.
 * @example watchConnectionReuse(); // then, in a dispatch handler's onResponseError: unansweredOnReusedConnection(error)
 */
export function watchConnectionReuse(): void {
  if (watching) return;
  watching = true;
  subscribe("undici:client:sendHeaders", (message) => {
    const { request, socket } = message as { request: object; socket: { bytesRead: number } };
    const before = written.get(socket) ?? 0;
    written.set(socket, before + 1);
    // a socket carries one exchange at a time: what it reads from here on answers this request (TLS sockets count
    // the bytes of the plaintext, so a close_notify alone is no answer)
    if (before > 0) onReused.set(request, { socket, bytesRead: socket.bytesRead });
  });
  subscribe("undici:request:error", (message) => {
    const { request, error } = message as { request: object; error: unknown };
    const sent = onReused.get(request);
    if (
      sent !== undefined &&
      sent.socket.bytesRead === sent.bytesRead &&
      typeof error === "object" &&
      error !== null
    ) {
      unansweredErrors.add(error);
    }
  });
}

/**
 * Whether undici failed a request with `error` after writing it on a connection that had carried one before, and
 * before any byte of its answer was read.
 */
export function unansweredOnReusedConnection(error: unknown): boolean {
  return typeof error === "object" && error !== null && unansweredErrors.has(error);
}
