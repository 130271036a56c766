import type { IncomingMessage, ServerResponse } from "node:http";

/** The methods a preflight is told it may use: every method, as vLLM's default `--allowed-methods '["*"]'`. */
const ALLOWED_METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT";

/**
 * Answers cross-origin requests as vLLM's server does with its defaults (`--allowed-origins '["*"]'`, every method
 * and header, no credentials), so that a page served from another origin (a dashboard in development) can call
 * the simulator as it calls vLLM: a request with an `Origin` gets `access-control-allow-origin: *`, and a CORS
 * preflight (`OPTIONS` with `access-control-request-method`) a 200 that allows the method and the headers asked
 * for. Returns true when it answered the request (a preflight).
 * @example if (answerCors(req, res)) return;
 */
export function answerCors(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.headers.origin === undefined) return false;
  res.setHeader("access-control-allow-origin", "*");
  const method = req.headers["access-control-request-method"];
  if (req.method !== "OPTIONS" || method === undefined) return false;
  const headers: Record<string, string | number> = {
    "access-control-allow-methods": ALLOWED_METHODS,
    "access-control-max-age": 600,
    "content-type": "text/plain; charset=utf-8",
    "content-length": 2,
  };
  const asked = req.headers["access-control-request-headers"];
  if (asked !== undefined) headers["access-control-allow-headers"] = asked;
  res.writeHead(200, headers).end("OK");
  return true;
}
