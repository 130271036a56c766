import { describe, expect, it } from "vitest";
import { HttpProtocolError } from "../errors.js";
import { ResponseParser } from "./response-parser.js";

interface Seen {
  heads: { status: number; headers: Record<string, string>; keepAlive: boolean }[];
  /** Body bytes with the stamp of the chunk each byte came in. */
  body: string;
  stamps: number[];
  completedAt: number[];
}

function parserFor(noBody = false): { parser: ResponseParser; seen: Seen } {
  const seen: Seen = { heads: [], body: "", stamps: [], completedAt: [] };
  const parser = new ResponseParser({
    onHead: (status, headers, keepAlive) => seen.heads.push({ status, headers, keepAlive }),
    onBody: (bytes, t) => {
      seen.body += bytes.toString("latin1");
      for (let i = 0; i < bytes.length; i++) seen.stamps.push(t);
    },
    onComplete: (t) => seen.completedAt.push(t),
  });
  parser.reset(noBody);
  return { parser, seen };
}

/** Feeds `pieces` as reads stamped 1, 2, 3, ...; returns the bytes consumed of each. */
function feed(parser: ResponseParser, pieces: Buffer[]): number[] {
  return pieces.map((p, i) => parser.execute(p, i + 1));
}

// a recorded vLLM-style SSE response: chunk extensions, upper- and lower-case hex, a trailer
const EV1 = 'data: {"choices":[{"text":"a"}]}\n\n';
const EV2 = 'data: {"choices":[{"text":"bc","finish_reason":"length"}]}\n\ndata: [DONE]\n\n';
const CHUNKED = Buffer.from(
  "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nTransfer-Encoding: chunked\r\n" +
    "X-Multi: a\r\nx-multi: b\r\n\r\n" +
    `${EV1.length.toString(16)}\r\n${EV1}\r\n` +
    `${EV2.length.toString(16).toUpperCase()};name=value\r\n${EV2}\r\n` +
    "0\r\nx-trailer: 1\r\n\r\n",
  "latin1",
);
const BODY = EV1 + EV2;

describe("ResponseParser", () => {
  it("de-frames a chunked response split at every byte offset, each byte with its read's stamp", () => {
    // wire offset of every body byte
    const ev1Start = CHUNKED.indexOf(EV1);
    const ev2Start = CHUNKED.indexOf(EV2);
    const offsets = [
      ...Array.from(EV1, (_, j) => ev1Start + j),
      ...Array.from(EV2, (_, j) => ev2Start + j),
    ];
    for (let k = 1; k < CHUNKED.length; k++) {
      const { parser, seen } = parserFor();
      const used = feed(parser, [CHUNKED.subarray(0, k), CHUNKED.subarray(k)]);
      expect(used).toEqual([k, CHUNKED.length - k]);
      expect(seen.heads).toEqual([
        {
          status: 200,
          headers: {
            "content-type": "text/event-stream",
            "transfer-encoding": "chunked",
            "x-multi": "a, b",
          },
          keepAlive: true,
        },
      ]);
      expect(seen.body).toBe(BODY);
      expect(seen.stamps).toEqual(offsets.map((o) => (o < k ? 1 : 2)));
      expect(seen.completedAt).toEqual([2]);
      expect(parser.complete).toBe(true);
    }
  });

  it("de-frames a chunked response read one byte at a time; completes with the last byte", () => {
    const { parser, seen } = parserFor();
    const pieces = [...CHUNKED].map((b) => Buffer.from([b]));
    feed(parser, pieces);
    expect(seen.body).toBe(BODY);
    expect(seen.completedAt).toEqual([CHUNKED.length]);
  });

  it("splits a chunk-size line across three reads", () => {
    const { parser, seen } = parserFor();
    const body = "x".repeat(0x1a2);
    feed(parser, [
      Buffer.from("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1"),
      Buffer.from("a"),
      Buffer.from(`2\r\n${body}\r\n0\r\n\r\n`),
    ]);
    expect(seen.body).toBe(body);
    expect(seen.completedAt).toEqual([3]);
  });

  it("reads a Content-Length body split at every offset and leaves the bytes after it", () => {
    const wire = Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello worldEXTRA");
    for (let k = 1; k < wire.length; k++) {
      const { parser, seen } = parserFor();
      const used = feed(parser, [wire.subarray(0, k), wire.subarray(k)]);
      expect(seen.body).toBe("hello world");
      expect(seen.completedAt.length).toBe(1);
      // the 5 bytes after the body are left unconsumed
      expect(used[0]! + used[1]!).toBe(wire.length - 5);
    }
  });

  it("a body without length runs to the end of the connection and is not keep-alive", () => {
    const { parser, seen } = parserFor();
    feed(parser, [Buffer.from("HTTP/1.1 200 OK\r\n\r\npart one "), Buffer.from("part two")]);
    expect(parser.closeDelimited).toBe(true);
    expect(seen.completedAt).toEqual([]);
    expect(parser.end(7)).toBe(true);
    expect(seen.body).toBe("part one part two");
    expect(seen.completedAt).toEqual([7]);
    expect(seen.heads[0]!.keepAlive).toBe(false);
  });

  it("an end of file mid-body leaves the response incomplete", () => {
    const { parser, seen } = parserFor();
    feed(parser, [Buffer.from("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nab")]);
    expect(parser.headDone).toBe(true);
    expect(parser.end(3)).toBe(false);
    expect(seen.completedAt).toEqual([]);
    expect(seen.body).toBe("ab");
  });

  it("skips 1xx interim heads; 204 and HEAD responses have no body", () => {
    const a = parserFor();
    feed(a.parser, [Buffer.from("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")]);
    expect(a.seen.heads.map((h) => h.status)).toEqual([204]);
    expect(a.seen.completedAt).toEqual([1]);
    const b = parserFor(true);
    feed(b.parser, [Buffer.from("HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\n")]);
    expect(b.seen.completedAt).toEqual([1]);
  });

  it("keep-alive follows the version and the Connection header; LF-only heads are read", () => {
    const cases: [string, boolean][] = [
      ["HTTP/1.1 200 OK\r\nConnection: close\r\ncontent-length: 0\r\n\r\n", false],
      ["HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n", false],
      ["HTTP/1.0 200 OK\r\nconnection: Keep-Alive\r\ncontent-length: 0\r\n\r\n", true],
      ["HTTP/1.1 200 OK\ncontent-length: 0\n\n", true],
    ];
    for (const [wire, keepAlive] of cases) {
      const { parser, seen } = parserFor();
      feed(parser, [Buffer.from(wire)]);
      expect(seen.heads[0]!.keepAlive).toBe(keepAlive);
      expect(seen.completedAt).toEqual([1]);
    }
  });

  it("rejects malformed responses with HttpProtocolError", () => {
    const bad = [
      "HTTP/2 200 OK\r\n\r\n",
      "HTTP/1.1 200 OK\r\ncontent-length: 1x\r\n\r\n",
      "HTTP/1.1 200 OK\r\ncontent-length: 3, 4\r\n\r\n",
      "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabX",
      "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nfffffffffffffff\r\n",
    ];
    for (const wire of bad) {
      const { parser } = parserFor();
      expect(() => parser.execute(Buffer.from(wire), 1), wire).toThrow(HttpProtocolError);
    }
  });

  it("fails at the first bytes that cannot begin an HTTP/1.x status line, before the head ends", () => {
    const cases: [Buffer[], string][] = [
      [
        [Buffer.from("SSH-2.0-OpenSSH_9.6\r\n")],
        'not an HTTP/1.x response: it begins "SSH-2.0-OpenSSH_9.6"',
      ],
      // an HTTP/2 server's SETTINGS frame
      [
        [Buffer.from([0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0x64])],
        "not an HTTP/1.x response: it begins with bytes 00 00 06 04 00 00 00 00 00 00 03 00",
      ],
      // the wrong byte comes in a later read of the same head
      [
        [Buffer.from("HTT"), Buffer.from("PS/1.1")],
        'not an HTTP/1.x response: it begins "HTTPS/1.1"',
      ],
    ];
    for (const [reads, message] of cases) {
      const { parser } = parserFor();
      const last = reads.pop()!;
      feed(parser, reads);
      expect(() => parser.execute(last, 9)).toThrow(new HttpProtocolError(message));
    }
    // a status line that begins right, read a byte at a time, is not refused early
    const { parser, seen } = parserFor();
    feed(
      parser,
      [..."HTTP/1.1 204 No Content\r\n\r\n"].map((c) => Buffer.from(c)),
    );
    expect(seen.heads.map((h) => h.status)).toEqual([204]);
  });
});
