import { describe, expect, it } from "vitest";
import { levelStartLine } from "./console-hooks.js";

describe("levelStartLine", () => {
  it("gives the level's bound and warm-up, one request in the singular", () => {
    expect(levelStartLine("c4", { mode: "concurrency", requests: 40, warmup: 8 })).toBe(
      "[c4] start: 40 requests after 8 warm-up",
    );
    expect(levelStartLine("c1", { mode: "concurrency", requests: 1, warmup: 0 })).toBe(
      "[c1] start: 1 request after 0 warm-up",
    );
    expect(levelStartLine("r2", { mode: "rate", durationS: 30, warmup: 4 })).toBe(
      "[r2] start: 30 s after 4 warm-up",
    );
  });
});
