import { describe, expect, it } from "vitest";
import { outOfVocabulary, simDetokenize, simTokenize, simTokenStrs } from "./tokenizer.js";

describe("outOfVocabulary", () => {
  it("names the largest id at or past the vocabulary, in vLLM's words", () => {
    expect(outOfVocabulary([5, 129281, 129280, 7], 129280)).toBe(
      "Token id 129281 is out of vocabulary",
    );
    expect(outOfVocabulary([129280], 129280)).toBe("Token id 129280 is out of vocabulary");
  });
  it("passes ids below the vocabulary, and no ids", () => {
    expect(outOfVocabulary([0, 129279], 129280)).toBeUndefined();
    expect(outOfVocabulary([], 129280)).toBeUndefined();
  });
});

describe("simDetokenize", () => {
  it("gives text that tokenizes back to the same count", () => {
    expect(simDetokenize(simTokenize("baba keko"))).toBe("baba keko");
    expect(simTokenize(simDetokenize([1, 2, 100_000])).length).toBe(3);
  });
});

describe("simTokenStrs", () => {
  it("gives a token's text for each token simTokenize gives, joining back to each piece", () => {
    expect(simTokenStrs("baba hello  keko")).toEqual(["baba", "hell", "o", "keko"]);
    // 4 UTF-8 bytes a token: a character goes with the token its first byte is in
    expect(simTokenStrs("wörld")).toEqual(["wör", "ld"]);
    expect(simTokenStrs("a😀")).toEqual(["a😀", ""]);
    for (const text of ["baba hello  keko", "wörld", "a😀", "日本語のテキスト x😀😀y", "", "  "])
      expect(simTokenStrs(text).length).toBe(simTokenize(text).length);
  });
});
