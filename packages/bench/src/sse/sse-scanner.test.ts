import { describe, expect, it } from "vitest";
import { scanSseEvents } from "./sse-scanner.js";

function scan(text: string | Buffer, final = false) {
  const out: [string, number][] = [];
  const rest = scanSseEvents(Buffer.isBuffer(text) ? text : Buffer.from(text), final, (d, e) =>
    out.push([d, e]),
  );
  return { out, rest };
}

describe("scanSseEvents", () => {
  it("returns each complete event with the offset of the byte that completed it, and where the rest starts", () => {
    expect(scan('data: {"a":1}\n\ndata: [DO')).toEqual({ out: [['{"a":1}', 14]], rest: 15 });
  });

  it("handles CRLF, lone CR, comments, event fields and multi-line data", () => {
    const { out, rest } = scan(
      ": ping\r\n\r\nevent: x\r\ndata: a\r\ndata:b\r\n\r\nid: 3\n\ndata: c\r\r",
    );
    expect(out).toEqual([
      ["a\nb", 37],
      ["c", 54],
    ]);
    expect(rest).toBe(55);
  });

  it("waits on a CR that ends a data line at the very end (an LF may follow), unless final", () => {
    expect(scan("data: a\r")).toEqual({ out: [], rest: 0 });
    expect(scan("data: a\r", true).out).toEqual([["a", 7]]);
    // split CRLF: the LF completes the data line, the next CRLF the event
    expect(scan("data: a\r\n\r\n").out).toEqual([["a", 9]]);
  });

  it("decodes UTF-8 only per complete event", () => {
    expect(scan(Buffer.from("data: héllo\n\n", "utf8")).out).toEqual([["héllo", 13]]);
  });

  it("takes an unterminated last event when final", () => {
    expect(scan("data: x\n\ndata: tail\n", true)).toEqual({
      out: [
        ["x", 8],
        ["tail", 19],
      ],
      rest: 20,
    });
    expect(scan("data: x\n\ndata: tail", true).out.at(-1)).toEqual(["tail", 18]);
  });

  it("gives an event that stands for a failure outside its data lines as its error object", () => {
    // Dynamo: `event: error` and the message as a comment; older llama.cpp: an `error:` field; keep-alive
    // comments and other named events stay what they were
    const { out } = scan(
      ": keep-alive\n\n" +
        "event: error\r\n: engine died\r\n\r\n" +
        'error: {"code":500,"message":"boom"}\n\n' +
        'event: error\ndata: {"type":"error","error":{"message":"overloaded"}}\n\n' +
        "event: errors\ndata: x\n\n",
    );
    expect(out).toEqual([
      ['{"error":{"message":"engine died"}}', 43],
      ['{"error":{"code":500,"message":"boom"}}', 82],
      ['{"type":"error","error":{"message":"overloaded"}}', 152],
      ["x", 175],
    ]);
  });

  it("reads a failure event split across scans, and an unterminated one when final", () => {
    const text = "event: error\n: engine died\n\n";
    const first = scan(text.slice(0, 20));
    expect(first).toEqual({ out: [], rest: 0 });
    expect(scan(text).out).toEqual([['{"error":{"message":"engine died"}}', 27]]);
    expect(scan("error: lost\n", true).out).toEqual([['{"error":{"message":"lost"}}', 11]]);
  });
});
