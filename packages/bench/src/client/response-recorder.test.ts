import { describe, expect, it } from "vitest";
import { ResponseRecorder } from "./response-recorder.js";

describe("ResponseRecorder", () => {
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
});
