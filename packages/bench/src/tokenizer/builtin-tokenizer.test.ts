import { describe, expect, it } from "vitest";
import { createRng } from "../rng.js";
import { BUILTIN_WORDS, builtinTokenizer } from "./builtin-tokenizer.js";

describe("builtinTokenizer", () => {
  it("counts vocabulary words as one token and other pieces per 4 bytes", async () => {
    const t = builtinTokenizer();
    expect(BUILTIN_WORDS.length).toBe(7225);
    expect(BUILTIN_WORDS[0]).toBe("baba");
    expect(await t.count("baba keko hello")).toBe(4);
    expect(await t.count("  ")).toBe(0);
    expect(await t.count("héllo!")).toBe(2); // 7 bytes
    expect(await t.encode("baba baba")).toEqual([0, 0]);
  });

  it("round-trips sampled ids exactly and deterministically", async () => {
    const t = builtinTokenizer();
    const ids = t.sampleIds!(50, createRng(7));
    expect(t.sampleIds!(50, createRng(7))).toEqual(ids);
    const text = await t.decode!(ids);
    expect(await t.encode(text)).toEqual(ids);
  });
});
