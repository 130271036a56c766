import { BenchOptionError } from "../errors.js";
import { headerNameProblem } from "./header-name.js";

/** Headers the transport writes itself (from the body and the connection), whatever the caller gives. */
const OWN = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);

/**
 * The caller's headers without those the transport writes itself (framing and connection), as both transports send
 * them. @example withoutOwnHeaders({ "Content-Length": "5", a: "1" }) // { a: "1" }
 */
export function withoutOwnHeaders(
  headers: Readonly<Record<string, string>>,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name in headers) if (!OWN.has(name.toLowerCase())) kept[name] = headers[name]!;
  return kept;
}
/** A header value holds no CR, LF or NUL. */
const BAD_VALUE = /[\r\n\0]/;

/**
 * The text of an HTTP/1.1 request head: request line, `Host` (unless the caller gives one),
 * the caller's headers, `Content-Length` of the body, and the empty line. A header that would
 * break the framing (CR/LF in a value, a bad name) throws BenchOptionError; its value is never
 * quoted in the message (it may be a key).
 * @example requestHead("POST", "/v1/completions", "localhost:8000", { "content-type": "application/json" }, 2)
 * // "POST /v1/completions HTTP/1.1\r\nhost: localhost:8000\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n"
 */
export function requestHead(
  method: string,
  path: string,
  host: string,
  headers: Readonly<Record<string, string>>,
  bodyLength: number,
): string {
  if (BAD_VALUE.test(path) || path.includes(" ")) {
    throw new BenchOptionError("request path holds a space, CR or LF");
  }
  let head = `${method} ${path} HTTP/1.1\r\n`;
  let hasHost = false;
  let lines = "";
  for (const name in headers) {
    const value = headers[name]!;
    const problem = headerNameProblem(name);
    if (problem) throw new BenchOptionError(`a request header's name ${problem}`);
    if (BAD_VALUE.test(value)) {
      throw new BenchOptionError(`request header "${name}" holds CR, LF or NUL`);
    }
    const lower = name.toLowerCase();
    if (OWN.has(lower)) continue;
    if (lower === "host") hasHost = true;
    lines += `${name}: ${value}\r\n`;
  }
  if (!hasHost) head += `host: ${host}\r\n`;
  return `${head}${lines}content-length: ${bodyLength}\r\n\r\n`;
}
