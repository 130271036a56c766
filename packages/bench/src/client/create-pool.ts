import { Pool } from "undici";

/**
 * The connection pool of one client thread: connections are not capped (nothing queues inside
 * undici, so `tSend` is when the request goes out) and no undici timeout cuts a long stream
 * (the request's own `timeoutMs` does).
 * @example const pool = createPool("http://localhost:8000");
 */
export function createPool(origin: string): Pool {
  return new Pool(origin, { headersTimeout: 0, bodyTimeout: 0, keepAliveTimeout: 60_000 });
}
