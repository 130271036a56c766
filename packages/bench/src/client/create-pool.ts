import { Client, Pool } from "undici";

/** Timeouts of the undici transport: none of undici's cuts a long stream (the request's own `timeoutMs` does). */
const NO_TIMEOUTS = { headersTimeout: 0, bodyTimeout: 0 } as const;

/**
 * The connection pool of one client thread: connections are not capped (nothing queues inside
 * undici, so `tSend` is when the request goes out) and no undici timeout cuts a long stream
 * (the request's own `timeoutMs` does).
 * @example const pool = createPool("http://localhost:8000");
 */
export function createPool(origin: string): Pool {
  return new Pool(origin, { ...NO_TIMEOUTS, keepAliveTimeout: 60_000 });
}

/**
 * One new connection outside the pool, for a request sent again after a kept-alive connection was closed under
 * it: the pool might hand it another idle connection the server is closing too. Destroy it once the request ends.
 * @example const once = createOneConnection(origin); once.dispatch(options, handler);
 */
export function createOneConnection(origin: string): Client {
  return new Client(origin, NO_TIMEOUTS);
}
