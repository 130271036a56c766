import { describe, expect, it } from "vitest";
import { completionLogprobs, positionLogprobs } from "./logprobs.js";
import { promptPieces } from "./prompt-pieces.js";
import { simDetokenize } from "./tokenizer.js";

describe("synthetic logprobs", () => {
  it("put the token first and largest, distinct alternatives with its whitespace, all below 0, summing under 1", () => {
    const list = positionLogprobs(3, " baba", " keko", 20);
    expect(list).toHaveLength(20);
    expect(list[0]!.token).toBe(" keko");
    expect(new Set(list.map((t) => t.token)).size).toBe(20);
    expect(list.every((t) => t.token.startsWith(" "))).toBe(true);
    const values = list.map((t) => t.logprob);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(values.reduce((s, v) => s + Math.exp(v), 0)).toBeLessThan(1);
    expect(Math.max(...values)).toBeLessThan(0);
    // reproducible: the same token after the same context, with the same seed
    expect(positionLogprobs(3, " baba", " keko", 20)).toEqual(list);
  });

  it("count completions offsets in code points, as vLLM's Python len does", () => {
    const lp = completionLogprobs(["é😀", " a"], [null, null], 1, 2);
    expect(lp.text_offset).toEqual([2, 4]);
  });

  it("split an echoed prompt into pieces that join to it, one per token", () => {
    expect(promptPieces(" baba  hello\n")).toEqual([" baba", "  hell", "o\n"]);
    expect(promptPieces([0, 7300])).toEqual([simDetokenize([0]), ` ${simDetokenize([7300])}`]);
  });
});
