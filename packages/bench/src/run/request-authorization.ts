import { BenchOptionError } from "../errors.js";

/**
 * The `Authorization` header of every request a run makes to its server, from the one place it may come from: the
 * API key (`Bearer <key>`) or the base URL's user and password (`Basic`, see `basicAuthorization`); undefined when
 * neither is given (an `authorization` in `headers` then goes as given). Two of these three at once would each set
 * the header, one silently over the other: that throws BenchOptionError naming both.
 * @example requestAuthorization(new URL("http://me:pw@h:8000"), undefined, {}) // "Basic bWU6cHc="
 */
export function requestAuthorization(
  url: URL,
  apiKey: string | undefined,
  headers: Readonly<Record<string, string>>,
): string | undefined {
  const basic = basicAuthorization(url);
  const header = Object.keys(headers).some((name) => name.toLowerCase() === "authorization");
  const fromUrl = "--base-url holds a user and password (sent as Authorization: Basic)";
  const fromKey = "an API key is set (--api-key-env; sent as Authorization: Bearer)";
  const fromHeader = "--header sets Authorization";
  const both = (a: string, b: string) =>
    new BenchOptionError(`${a} and ${b}: both set the Authorization header; give one of them`);
  if (basic && apiKey) throw both(fromUrl, fromKey);
  if (basic && header) throw both(fromUrl, fromHeader);
  if (apiKey && header) throw both(fromKey, fromHeader);
  return basic ?? (apiKey ? `Bearer ${apiKey}` : undefined);
}

/**
 * The `Authorization` header that the user and password of a base URL stand for (`http://user:pw@host:8000`), as
 * curl sends them: `Basic`, then base64 of `user:password`, each percent-decoded as the WHATWG URL standard decodes
 * (`%40` is `@`; a `%` not followed by two hex digits stays as it is). Undefined when the URL holds neither.
 * @example basicAuthorization(new URL("http://me:p%40ss@h:8000")) // "Basic bWU6cEBzcw=="
 */
export function basicAuthorization(url: URL): string | undefined {
  if (url.username === "" && url.password === "") return undefined;
  const credentials = Buffer.concat([
    percentDecode(url.username),
    Buffer.from(":"),
    percentDecode(url.password),
  ]);
  return `Basic ${credentials.toString("base64")}`;
}

/**
 * The bytes of `text` percent-decoded (the WHATWG URL standard's "percent-decode": `%` and two hex digits is that
 * byte; anything else, a lone `%` too, is kept as it is). Never throws, unlike `decodeURIComponent`.
 * @example percentDecode("p%40ss%zz").toString() // "p@ss%zz"
 */
export function percentDecode(text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  const out = Buffer.alloc(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const high = hexValue(bytes[i + 1]);
    const low = hexValue(bytes[i + 2]);
    if (bytes[i] === 0x25 && high >= 0 && low >= 0) {
      out[n++] = high * 16 + low;
      i += 2;
    } else {
      out[n++] = bytes[i]!;
    }
  }
  return out.subarray(0, n);
}

/** The value of one ASCII hex digit, or -1. */
function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}
