/** The HTTP plumbing of the dashboard server: JSON answers and errors, request targets, bodies. */
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { gzip } from "node:zlib";
import { acceptsGzip, GZIP_MIN_BYTES } from "./gzip.js";
import { securityHeaders } from "./security-headers.js";

/** An error that answers with its status and `{ error: message }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** headers the answer must carry (WWW-Authenticate on 401) */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * Answers JSON (a value, or text that already is JSON), never cached; gzipped (off the event loop) when the client
 * accepts it and the text is 1 KiB or more.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown | string,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const head = (length: number, gzipped: boolean) => ({
    "content-type": "application/json; charset=utf-8",
    "content-length": length,
    "cache-control": "no-store",
    vary: "Accept-Encoding",
    ...(gzipped ? { "content-encoding": "gzip" } : {}),
    ...securityHeaders(),
    ...headers,
  });
  if (text.length < GZIP_MIN_BYTES || !acceptsGzip(res.req)) {
    res.writeHead(status, head(Buffer.byteLength(text), false));
    res.end(text);
    return;
  }
  gzip(text, (error, zipped) => {
    if (res.destroyed) return;
    if (error) {
      res.destroy(error);
      return;
    }
    res.writeHead(status, head(zipped.length, true));
    res.end(zipped);
  });
}

/** Refuses query parameters on an endpoint that takes none, as unknown filter parameters are refused. */
export function noQuery(url: URL): void {
  const [first] = url.searchParams.keys();
  if (first !== undefined)
    throw new HttpError(400, `unknown query parameter "${first}"; this endpoint takes none`);
}

/** The point id of a path segment; malformed percent-encoding (`%zz`) is the client's error. */
export function pointId(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `malformed percent-encoding in point id "${segment}"`);
  }
}

/**
 * The URL of a request target: a path (`/api/points?...`, read as a path even when it starts with `//`) or an
 * absolute URL. Undefined when it is not one: `new URL` throws on such targets (`http://[`), and a throw in the
 * request handler would stop the server.
 */
export function requestUrl(target = "/"): URL | undefined {
  try {
    return target.startsWith("/") ? new URL(`http://localhost${target}`) : new URL(target);
  } catch {
    return undefined;
  }
}

/**
 * Reads a JSON request body of at most `limit` bytes: 415 when it is declared as something else (curl's `-d`
 * sends form encoding unless told), 413 past the limit, 400 when it does not parse. No Content-Type is taken as
 * JSON.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
  if (type && type !== "application/json" && !type.endsWith("+json"))
    throw new HttpError(
      415,
      `the body must be JSON: send Content-Type: application/json (got ${type})`,
    );
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) throw new HttpError(413, `request body over ${limit} bytes`);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    // a client that went away mid-body: its mistake (or its network's), not a failure of the server to log
    if ((error as NodeJS.ErrnoException).code === "ECONNRESET")
      throw new HttpError(400, "the request body ended before its declared length");
    throw error;
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (error) {
    throw new HttpError(400, `request body is not JSON: ${(error as Error).message}`);
  }
}

/**
 * Answers a request Node's HTTP parser refused before the handler saw it (headers or URL over 16 KiB, a malformed
 * request line, a request that did not arrive in time) with the API's JSON error shape; Node's own answer has no
 * body.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  const [status, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [
          431,
          "request headers or URL over 16 KiB: send fewer filter values, or filter in the client",
        ]
      : // Node's headersTimeout or requestTimeout: a client that sends its request too slowly (or a slowloris)
        error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "the request did not arrive in time; send it whole, without pauses"]
        : [400, `malformed HTTP request (${error.code ?? error.message})`];
  const body = JSON.stringify({ error: message });
  socket.end(rawAnswer(status, body));
}

/**
 * A whole HTTP/1.1 answer with a JSON body, as text, for a socket the server answers outside the request handler
 * (a request Node's parser refused, a CONNECT): the headers `sendJson` sends, and the connection closed after it.
 */
export function rawAnswer(
  status: number,
  body: string,
  headers: Record<string, string> = {},
): string {
  const all: Record<string, string | number> = {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
    ...securityHeaders(),
    ...headers,
    connection: "close",
  };
  const lines = Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${lines.join("")}\r\n${body}`;
}
