import { subscribe } from "node:diagnostics_channel";

/** Requests written per socket (undici's sockets, and those of Node's built-in fetch, which publishes alike). */
const written = new WeakMap<object, number>();
/** undici's requests that went out on a connection that had carried a request before. */
const onReused = new WeakSet<object>();
/** The errors undici failed those requests with. */
const reusedErrors = new WeakSet<object>();
let watching = false;

/**
 * Starts following, through undici's diagnostics channels (`undici:client:sendHeaders`,
 * `undici:request:error`), which requests are written on a kept-alive connection, so that
 * `failedOnReusedConnection` can tell a request the server dropped with an idle connection (its
 * keep-alive timeout, as the request arrived) from one it refused on a new connection. Idempotent;
 * once per thread.
 * @example watchConnectionReuse(); // then, in a dispatch handler's onResponseError: failedOnReusedConnection(error)
 */
export function watchConnectionReuse(): void {
  if (watching) return;
  watching = true;
  subscribe("undici:client:sendHeaders", (message) => {
    const { request, socket } = message as { request: object; socket: object };
    const before = written.get(socket) ?? 0;
    written.set(socket, before + 1);
    if (before > 0) onReused.add(request);
  });
  subscribe("undici:request:error", (message) => {
    const { request, error } = message as { request: object; error: unknown };
    if (onReused.has(request) && typeof error === "object" && error !== null) {
      reusedErrors.add(error);
    }
  });
}

/** Whether undici failed a request with `error` after writing it on a connection that had carried one before. */
export function failedOnReusedConnection(error: unknown): boolean {
  return typeof error === "object" && error !== null && reusedErrors.has(error);
}
