import { describe, expect, it } from "vitest";
import { SseParser } from "./sse-parser.js";

describe("SseParser", () => {
  it("returns each completed event's data and keeps a partial one for the next chunk", () => {
    const p = new SseParser();
    expect(p.push('data: {"a":1}\n\ndata: [DO')).toEqual(['{"a":1}']);
    expect(p.pending).toBe(9);
    expect(p.push("NE]\n\n")).toEqual(["[DONE]"]);
    expect(p.pending).toBe(0);
  });

  it("handles CRLF, comments, event fields and multi-line data", () => {
    const p = new SseParser();
    const out = p.push(": ping\r\n\r\nevent: x\r\ndata: a\r\ndata:b\r\n\r\nid: 3\n\n");
    expect(out).toEqual(["a\nb"]);
  });

  it("reassembles a UTF-8 character split across chunks", () => {
    const p = new SseParser();
    const bytes = Buffer.from("data: héllo\n\n", "utf8");
    const cut = bytes.indexOf(0xa9); // second byte of é
    expect(p.push(bytes.subarray(0, cut))).toEqual([]);
    expect(p.push(bytes.subarray(cut))).toEqual(["héllo"]);
  });

  it("returns an unterminated last event at end()", () => {
    const p = new SseParser();
    expect(p.push("data: x\n\ndata: tail\n")).toEqual(["x"]);
    expect(p.end()).toEqual(["tail"]);
    expect(p.end()).toEqual([]);
  });

  it("returns an event that stands for a failure outside its data lines as its error object", () => {
    const p = new SseParser();
    expect(
      p.push(
        ': ping\n\nevent: error\n: engine died\n\nerror: {"message":"boom"}\n\nevent: x\ndata: y\n\n',
      ),
    ).toEqual(['{"error":{"message":"engine died"}}', '{"error":{"message":"boom"}}', "y"]);
  });
});
