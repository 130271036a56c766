import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyEvent } from "../sse/classify-event.js";
import { ResponseRecorder } from "./response-recorder.js";

const PAYLOADS = [
  '{"choices":[{"delta":{"role":"assistant"}}]}',
  '{"choices":[{"delta":{"content":"héllo"}}]}',
  '{"choices":[{"delta":{"reasoning_content":"think"}}]}',
  '{"choices":[{"text":"x","finish_reason":null}],"infermark_server_t":12.5}',
  '{"choices":[{"text":"日本","finish_reason":"length"}]}',
  '{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}',
];

describe("ResponseRecorder (deferred parsing)", () => {
  it("stamps every event of one read with that read's time, across chunk boundaries", () => {
    const r = new ResponseRecorder(true);
    expect(
      r.push(Buffer.from('data: {"choices":[{"text":"a"}]}\n\ndata: {"choices":[{"te'), 5),
    ).toBe(true);
    r.push(
      Buffer.from('xt":"b"}]}\n\ndata: {"choices":[{"text":"c","finish_reason":"length"}]}\n\n'),
      9,
    );
    r.push(Buffer.from("data: [DONE]\n\n"), 12);
    r.end(13);
    expect(r.events.map((e) => [e.kind, e.t])).toEqual([
      ["content", 5],
      ["content", 9],
      ["content", 9],
      ["done", 12],
    ]);
    expect(r.text).toBe("abc");
    expect(r.failure).toBeUndefined();
  });

  it("does no parsing in push: events appear only when the response ends", () => {
    const r = new ResponseRecorder(true);
    r.push(Buffer.from('data: {"choices":[{"text":"a"}]}\n\n'), 1);
    // a malformed line is not even looked at on the read path
    expect(r.push(Buffer.from("data: {oops\n\n"), 2)).toBe(true);
    expect(r.events).toHaveLength(0);
    expect(r.started).toBe(true);
    r.push(Buffer.from("data: [DONE]\n\n"), 3);
    r.end(4);
    expect(r.events.map((e) => [e.kind, e.t])).toEqual([
      ["content", 1],
      ["error", 2],
    ]);
    expect(r.failure?.category).toBe("malformed_event");
  });

  it("parses at once a chunk that may hold an error object, so the request stops early", () => {
    const r = new ResponseRecorder(true);
    r.push(Buffer.from('data: {"choices":[{"text":"a"}]}\n\n'), 1);
    const ok = r.push(Buffer.from('data: {"error":{"message":"overloaded"}}\n\n'), 2);
    expect(ok).toBe(false);
    expect(r.failure).toEqual({ category: "server_error", message: "error in stream: overloaded" });
    expect(r.events.map((e) => [e.kind, e.t])).toEqual([
      ["content", 1],
      ["error", 2],
    ]);
  });

  it("fails a reply the server ended with finish_reason abort or error, streamed or not", () => {
    const streamed = new ResponseRecorder(true);
    streamed.push(
      Buffer.from(
        'data: {"choices":[{"text":"a"}]}\n\ndata: {"choices":[{"text":"","finish_reason":"abort"}]}\n\ndata: [DONE]\n\n',
      ),
      3,
    );
    streamed.end(4);
    expect(streamed.failure).toEqual({
      category: "server_error",
      message: 'the server ended the request with finish_reason "abort"',
    });
    // the tokens that came before it are kept
    expect(streamed.text).toBe("a");
    const whole = new ResponseRecorder(false);
    whole.push(
      Buffer.from('{"choices":[{"message":{"content":"ab"},"finish_reason":"error"}]}'),
      5,
    );
    whole.end(6);
    expect(whole.failure?.message).toBe('the server ended the request with finish_reason "error"');
    // stop and length are replies
    const done = new ResponseRecorder(true);
    done.push(Buffer.from('data: {"choices":[{"text":"a","finish_reason":"stop"}]}\n\n'), 1);
    done.end(2);
    expect(done.failure).toBeUndefined();
  });

  it("credits a usage count to its event only when every token event before it had one", () => {
    const tokensOf = (body: string) => {
      const r = new ResponseRecorder(true);
      r.push(Buffer.from(body), 1);
      r.end(2);
      return r.events.filter((e) => e.kind === "content").map((e) => e.tokens);
    };
    // continuous usage (vLLM, SGLang): each event's share is the difference
    expect(
      tokensOf(
        'data: {"choices":[{"text":"a"}],"usage":{"prompt_tokens":4,"completion_tokens":1}}\n\n' +
          'data: {"choices":[{"text":"bc","finish_reason":"length"}],"usage":{"prompt_tokens":4,"completion_tokens":3}}\n\n',
      ),
    ).toEqual([1, 2]);
    // usage in the finishing chunk only (llama.cpp): the 3 is the stream's total, not the last event's share
    expect(
      tokensOf(
        'data: {"choices":[{"text":"a"}]}\n\ndata: {"choices":[{"text":"b"}]}\n\n' +
          'data: {"choices":[{"text":"c","finish_reason":"length"}],"usage":{"prompt_tokens":4,"completion_tokens":3}}\n\n',
      ),
    ).toEqual([undefined, undefined, undefined]);
  });

  it("credits a token that came with an empty delta to the next token event, whose gap it falls in", () => {
    // vLLM sends a chunk for a token whose text the detokenizer holds back (part of a UTF-8 character, a special
    // token) as `content: ""`, its count in the continuous usage: no token event, but the gap from "a" to "b"
    // spans two tokens, and the token-weighted ITL divides it by two
    const r = new ResponseRecorder(true);
    const chunk = (content: string, completion: number, finish: string | null = null) =>
      `data: ${JSON.stringify({
        choices: [
          {
            delta: content === "role" ? { role: "assistant" } : { content },
            finish_reason: finish,
          },
        ],
        usage: { prompt_tokens: 4, completion_tokens: completion },
      })}\n\n`;
    r.push(Buffer.from(chunk("role", 0) + chunk("a", 1) + chunk("", 2) + chunk("b", 3)), 1);
    r.push(Buffer.from(chunk("", 4) + chunk("", 5) + chunk("c", 6, "length")), 2);
    r.push(Buffer.from("data: [DONE]\n\n"), 3);
    r.end(4);
    expect(r.events.map((e) => [e.kind, e.tokens])).toEqual([
      ["role", undefined],
      ["content", 1],
      ["empty", undefined],
      ["content", 2],
      ["empty", undefined],
      ["empty", undefined],
      ["content", 3],
      ["done", undefined],
    ]);
    expect(r.log.tokenCount()).toBe(6);
  });

  it("keeps the complete events when the request fails mid-stream (timeout)", () => {
    const r = new ResponseRecorder(true);
    r.push(Buffer.from('data: {"choices":[{"text":"a"}]}\n\ndata: {"choi'), 7);
    r.fail({ category: "timeout", message: "t" });
    expect(r.events.map((e) => [e.kind, e.t])).toEqual([["content", 7]]);
    expect(r.failure?.category).toBe("timeout");
  });

  it("parses 4 KiB of pending bytes on setImmediate, after the reads, with their own stamps", async () => {
    const r = new ResponseRecorder(true);
    const ev = Buffer.from('data: {"choices":[{"text":"x"}]}\n\n'); // 34 bytes
    const n = Math.ceil((4 * 1024) / ev.length);
    for (let i = 0; i < n; i++) r.push(ev, i);
    r.push(Buffer.from('data: {"choices":[{"te'), n);
    expect(r.events).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.events).toHaveLength(n);
    expect(r.events[0]!.t).toBe(0);
    expect(r.events[n - 1]!.t).toBe(n - 1);
    r.push(Buffer.from('xt":"y","finish_reason":"length"}]}\n\n'), n + 1);
    r.end(n + 2);
    expect(r.events).toHaveLength(n + 1);
    expect(r.events[n]!.t).toBe(n + 1);
    expect(r.text).toBe(`${"x".repeat(n)}y`);
    expect(r.failure).toBeUndefined();
  });

  it("gives each event the stamp of the read that completed it, for any chunking and line ends", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...PAYLOADS), { minLength: 1, maxLength: 12 }),
        fc.constantFrom("\n", "\r\n", "\r"),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.boolean(),
        (payloads, eol, cutSeeds, terminated) => {
          // build the stream and note, per event, the offset of the byte that completes it (the
          // first byte of its blank line): the ground truth an eager parser would stamp by
          let text = "";
          const completes: number[] = [];
          for (const p of [...payloads, "[DONE]"]) {
            text += `: c${eol}data: ${p}${eol}`;
            completes.push(Buffer.byteLength(text));
            text += eol;
          }
          if (!terminated) text = text.slice(0, -2 * eol.length);
          const bytes = Buffer.from(text, "utf8");
          if (!terminated) completes[completes.length - 1] = bytes.length - 1;
          const cuts = [...new Set(cutSeeds.map((s) => s % bytes.length))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let at = 0;
          for (const c of [...cuts, bytes.length]) {
            if (c > at) chunks.push(bytes.subarray(at, c));
            at = Math.max(at, c);
          }
          const stamps = chunks.map((_, i) => 10 * (i + 1));
          const stampAt = (offset: number) => {
            let end = 0;
            for (let i = 0; i < chunks.length; i++) {
              end += chunks[i]!.length;
              if (offset < end) return stamps[i]!;
            }
            return stamps.at(-1)!;
          };
          const r = new ResponseRecorder(true);
          chunks.forEach((c, i) => {
            r.push(c, stamps[i]!);
          });
          r.end(999);
          const want = [...payloads, "[DONE]"].map((p, i) => ({
            kind: classifyEvent(p).kind,
            t: stampAt(completes[i]!),
          }));
          expect(r.events.map((e) => ({ kind: e.kind, t: e.t }))).toEqual(want);
          expect(r.text).toBe(payloads.map((p) => classifyEvent(p).text ?? "").join(""));
          const tokens = want.some((e) => ["content", "reasoning"].includes(e.kind));
          expect(r.failure?.category).toBe(tokens ? undefined : "empty_output");
        },
      ),
      { numRuns: 300 },
    );
  });
});
