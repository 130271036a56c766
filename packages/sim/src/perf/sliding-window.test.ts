import { getModel } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { attendedContext, attendedPairs, attentionSpan, keptTokens } from "./sliding-window.js";

describe("attention span", () => {
  it("is full for models without sliding-window layers", () => {
    const span = attentionSpan(getModel("dsr1"));
    expect(span).toEqual({ fullShare: 1, slidingShare: 0, window: Number.POSITIVE_INFINITY });
    expect(attendedContext(span, 3, 5000)).toBe(15_000);
    expect(attendedPairs(span, 100, 123_456)).toBe(123_456);
  });

  it("caps sliding layers at the window", () => {
    const span = { fullShare: 0.5, slidingShare: 0.5, window: 128 };
    expect(attendedContext(span, 2, 1000)).toBe(2 * (500 + 64));
    expect(attendedContext(span, 1, 100)).toBe(100);
    // 1,000 prompt tokens, each seeing on average 500: full layers 500,000 pairs, sliding at most 128 each
    expect(attendedPairs(span, 1000, 500_000)).toBe(0.5 * 500_000 + 0.5 * 128_000);
  });

  it("keeps the context in full layers and the window in sliding ones", () => {
    // Mistral-7B-v0.1: every layer keeps the last 4096 tokens
    const every = { fullShare: 0, slidingShare: 1, window: 4096 };
    expect(keptTokens(every, 10_000)).toBe(4096);
    expect(keptTokens(every, 1000)).toBe(1000);
    expect(keptTokens({ fullShare: 0.5, slidingShare: 0.5, window: 128 }, 2048)).toBe(1024 + 64);
    expect(keptTokens(attentionSpan(getModel("dsr1")), 10_000)).toBe(10_000);
  });
});
