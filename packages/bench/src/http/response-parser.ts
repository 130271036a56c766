import { HttpProtocolError } from "../errors.js";

/** What a response parser reports, in order: one head, body pieces, then completion. */
export interface ResponseEvents {
  /** The final (non-1xx) head. `keepAlive`: the connection may carry another request after this response. */
  onHead(status: number, headers: Record<string, string>, keepAlive: boolean): void;
  /** A piece of the de-framed body: a view into the chunk passed to `execute`, with its stamp. */
  onBody(bytes: Buffer, t: number): void;
  /** The response ended with the chunk stamped `t`. */
  onComplete(t: number): void;
}

/** The most bytes a response head may have. */
const MAX_HEAD = 64 * 1024;
/** Hex digits of a chunk size (2^52 > any body). */
const MAX_SIZE_DIGITS = 13;

const HEAD = 0;
const BODY_LENGTH = 1;
const BODY_EOF = 2;
const CHUNK_SIZE = 3;
const CHUNK_EXT = 4;
const CHUNK_SIZE_LF = 5;
const CHUNK_DATA = 6;
const CHUNK_DATA_CR = 7;
const CHUNK_DATA_LF = 8;
const TRAILER = 9;
const DONE = 10;

const CR = 13;
const LF = 10;
/** What every HTTP/1.x status line begins with. */
const VERSION_PREFIX = Buffer.from("HTTP/1.", "latin1");

/**
 * An incremental HTTP/1.1 response parser that works on bytes: status line and headers,
 * `Transfer-Encoding: chunked` (sizes split across reads, extensions, trailers), `Content-Length`
 * and close-delimited bodies, 1xx interim responses skipped. Body pieces are views into the
 * chunks given (no copy, no string decoding); only the head is decoded. One parser serves one
 * connection: `reset()` before each response.
 * @example
 * const p = new ResponseParser({ onHead() {}, onBody(b, t) {}, onComplete(t) {} });
 * p.reset(); p.execute(Buffer.from("HTTP/1.1 204 No Content\r\n\r\n"), 1);
 */
export class ResponseParser {
  private state = DONE;
  private head: Buffer | undefined;
  /** Body bytes still to come: of the Content-Length body, or of the current chunk. */
  private remaining = 0;
  private sizeDigits = 0;
  private lineLength = 0;
  private noBody = false;
  /** The head of the final response arrived. */
  headDone = false;

  constructor(private readonly events: ResponseEvents) {}

  /** Starts a new response. `noBody`: the request was HEAD (no body whatever the headers say). */
  reset(noBody = false): void {
    this.state = HEAD;
    this.head = undefined;
    this.remaining = 0;
    this.headDone = false;
    this.noBody = noBody;
  }

  /** The response has ended (or no response is expected). */
  get complete(): boolean {
    return this.state === DONE;
  }

  /** The body runs until the connection closes. */
  get closeDelimited(): boolean {
    return this.state === BODY_EOF;
  }

  /**
   * Parses one chunk read at `t`. Returns the bytes consumed: less than `buf.length` only when
   * the response completed before the chunk's end (the rest belongs to no request).
   * Throws HttpProtocolError on a malformed response.
   */
  execute(buf: Buffer, t: number): number {
    const len = buf.length;
    let i = 0;
    while (i < len) {
      switch (this.state) {
        case HEAD:
          i = this.readHead(buf, i, t);
          break;
        case BODY_LENGTH: {
          const take = Math.min(this.remaining, len - i);
          this.events.onBody(buf.subarray(i, i + take), t);
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.completeAt(t);
          break;
        }
        case BODY_EOF:
          this.events.onBody(i === 0 ? buf : buf.subarray(i), t);
          i = len;
          break;
        case CHUNK_SIZE: {
          const b = buf[i]!;
          const v = hexValue(b);
          if (v >= 0) {
            if (++this.sizeDigits > MAX_SIZE_DIGITS)
              throw new HttpProtocolError("chunk size too large");
            this.remaining = this.remaining * 16 + v;
          } else if (this.sizeDigits === 0) {
            throw new HttpProtocolError(`bad chunk size line (byte 0x${b.toString(16)})`);
          } else if (b === CR) {
            this.state = CHUNK_SIZE_LF;
          } else if (b === LF) {
            this.chunkSizeDone();
          } else if (b === 0x3b || b === 0x20 || b === 0x09) {
            this.state = CHUNK_EXT;
          } else {
            throw new HttpProtocolError(`bad chunk size line (byte 0x${b.toString(16)})`);
          }
          i++;
          break;
        }
        case CHUNK_EXT: {
          const lf = buf.indexOf(LF, i);
          if (lf < 0) {
            i = len;
          } else {
            i = lf + 1;
            this.chunkSizeDone();
          }
          break;
        }
        case CHUNK_SIZE_LF:
          if (buf[i] !== LF) throw new HttpProtocolError("chunk size line not ended by CRLF");
          i++;
          this.chunkSizeDone();
          break;
        case CHUNK_DATA: {
          const take = Math.min(this.remaining, len - i);
          this.events.onBody(buf.subarray(i, i + take), t);
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = CHUNK_DATA_CR;
          break;
        }
        case CHUNK_DATA_CR: {
          const b = buf[i++];
          if (b === CR) this.state = CHUNK_DATA_LF;
          else if (b === LF) this.startChunk();
          else throw new HttpProtocolError("chunk data not followed by CRLF");
          break;
        }
        case CHUNK_DATA_LF:
          if (buf[i++] !== LF) throw new HttpProtocolError("chunk data not followed by CRLF");
          this.startChunk();
          break;
        case TRAILER: {
          const b = buf[i++]!;
          if (b === LF) {
            if (this.lineLength === 0) this.completeAt(t);
            this.lineLength = 0;
          } else if (b !== CR) {
            this.lineLength++;
          }
          break;
        }
        default:
          // DONE: the bytes belong to no request
          return i;
      }
    }
    return i;
  }

  /**
   * The connection reached end of file at `t`. A close-delimited body completes; returns whether
   * the response is complete.
   */
  end(t: number): boolean {
    if (this.state === BODY_EOF) this.completeAt(t);
    return this.state === DONE;
  }

  private completeAt(t: number): void {
    this.state = DONE;
    this.events.onComplete(t);
  }

  private startChunk(): void {
    this.state = CHUNK_SIZE;
    this.remaining = 0;
    this.sizeDigits = 0;
  }

  private chunkSizeDone(): void {
    if (this.remaining === 0) {
      this.state = TRAILER;
      this.lineLength = 0;
    } else {
      this.state = CHUNK_DATA;
    }
  }

  /** Collects head bytes until the empty line; returns the index after what it consumed. */
  private readHead(buf: Buffer, from: number, t: number): number {
    const prev = this.head?.length ?? 0;
    const part = from === 0 ? buf : buf.subarray(from);
    const head = this.head ? Buffer.concat([this.head, part]) : part;
    // another protocol on the port (an HTTP/2-only server, SSH) fails at its first bytes, not at the timeout
    if (prev < VERSION_PREFIX.length) checkVersionPrefix(head);
    const end = headEnd(head, Math.max(0, prev - 3));
    if (end < 0) {
      if (head.length > MAX_HEAD)
        throw new HttpProtocolError(`response head over ${MAX_HEAD} bytes`);
      this.head = Buffer.from(head);
      return buf.length;
    }
    this.head = undefined;
    const consumed = from + (end - prev);
    this.startBody(head.toString("latin1", 0, end), t);
    return consumed;
  }

  private startBody(text: string, t: number): void {
    const lines = text.split(/\r?\n/);
    const m = /^HTTP\/1\.([01]) (\d{3})(?:[ \t].*)?$/.exec(lines[0]!);
    if (!m) throw new HttpProtocolError(`bad status line "${lines[0]!.slice(0, 80)}"`);
    const status = Number(m[2]);
    const headers: Record<string, string> = {};
    let last = "";
    for (let k = 1; k < lines.length; k++) {
      const line = lines[k]!;
      if (line === "") continue;
      if ((line[0] === " " || line[0] === "\t") && last) {
        headers[last] += ` ${line.trim()}`;
        continue;
      }
      const colon = line.indexOf(":");
      if (colon <= 0) throw new HttpProtocolError(`bad header line "${line.slice(0, 80)}"`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
      last = name;
    }
    if (status < 200) {
      if (status === 101) throw new HttpProtocolError("unexpected 101 Switching Protocols");
      return; // interim response (100 Continue, 103 Early Hints): the real head follows
    }
    const connection = (headers.connection ?? "").toLowerCase();
    let keepAlive =
      m[1] === "1" ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection);
    this.headDone = true;
    const te = headers["transfer-encoding"];
    const cl = headers["content-length"];
    if (this.noBody || status === 204 || status === 304) {
      this.events.onHead(status, headers, keepAlive);
      this.completeAt(t);
      return;
    }
    if (te !== undefined) {
      if (/(?:^|,)\s*chunked\s*$/i.test(te)) {
        this.startChunk();
      } else {
        this.state = BODY_EOF;
        keepAlive = false;
      }
    } else if (cl !== undefined) {
      // repeated identical values ("10, 10") are allowed, as RFC 9110 says
      const values = new Set(cl.split(",").map((v) => v.trim()));
      const [value = ""] = values;
      if (values.size !== 1 || !/^\d{1,15}$/.test(value)) {
        throw new HttpProtocolError(`bad Content-Length "${cl}"`);
      }
      this.remaining = Number(value);
      this.state = BODY_LENGTH;
    } else {
      this.state = BODY_EOF;
      keepAlive = false;
    }
    this.events.onHead(status, headers, keepAlive);
    if (this.state === BODY_LENGTH && this.remaining === 0) this.completeAt(t);
  }
}

/** Throws HttpProtocolError unless `head` begins as an HTTP/1.x status line does (so far as it goes). */
function checkVersionPrefix(head: Buffer): void {
  const n = Math.min(head.length, VERSION_PREFIX.length);
  if (head.compare(VERSION_PREFIX, 0, n, 0, n) === 0) return;
  const start = head.subarray(0, 24);
  const shown = /^[\x20-\x7e\r\n\t]*$/.test(start.toString("latin1"))
    ? JSON.stringify(start.toString("latin1").split(/\r?\n/)[0])
    : `with bytes ${[...start.subarray(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join(" ")}`;
  throw new HttpProtocolError(`not an HTTP/1.x response: it begins ${shown}`);
}

/** Index just past the head's empty line (CRLFCRLF or a lenient LFLF), or -1. */
function headEnd(buf: Buffer, from: number): number {
  let i = buf.indexOf(LF, from);
  while (i >= 0) {
    const next = buf[i + 1];
    if (next === LF) return i + 2;
    if (next === CR && buf[i + 2] === LF) return i + 3;
    if (next === undefined || (next === CR && i + 2 >= buf.length)) return -1;
    i = buf.indexOf(LF, i + 1);
  }
  return -1;
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  return -1;
}
