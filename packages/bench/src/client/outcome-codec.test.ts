import { describe, expect, it } from "vitest";
import { packOutcome, unpackOutcome } from "./outcome-codec.js";
import type { SendOutcome } from "./send-request.js";

describe("packOutcome / unpackOutcome", () => {
  it("round-trips an outcome, shifting client times only", () => {
    const o: SendOutcome = {
      tSend: 10,
      tEnd: 50.5,
      events: [
        { t: 20, kind: "role" },
        { t: 30.25, kind: "content", tokens: 1, serverT: 1e6 + 0.125 },
        { t: 40, kind: "usage" },
        { t: 41, kind: "done" },
      ],
      usage: { promptTokens: 3, completionTokens: 1 },
      text: "héllo",
      failure: { category: "http_status", status: 503, message: "HTTP 503" },
    };
    const back = unpackOutcome(packOutcome(o, 1000));
    expect(back).toEqual({
      tSend: 1010,
      tEnd: 1050.5,
      events: [
        { t: 1020, kind: "role" },
        { t: 1030.25, kind: "content", tokens: 1, serverT: 1e6 + 0.125 },
        { t: 1040, kind: "usage" },
        { t: 1041, kind: "done" },
      ],
      usage: { promptTokens: 3, completionTokens: 1 },
      text: "héllo",
      failure: { category: "http_status", status: 503, message: "HTTP 503" },
    });
    // absent optional fields stay absent (records are identical in shape)
    expect(Object.keys(back.events[0]!)).toEqual(["t", "kind"]);
    expect("failure" in unpackOutcome(packOutcome({ ...o, failure: undefined }, 0))).toBe(false);
  });
});
