import { describe, expect, it } from "vitest";
import { BUILTIN_WORDS, builtinTokenize } from "./builtin-tokenize.js";

describe("builtinTokenize", () => {
  it("gives the ids the load generator and the simulator have always given", () => {
    // pinned from the implementation that bench and sim each carried before it moved here: vocabulary
    // words, ASCII and multi-byte pieces, tabs, runs of spaces and a no-break space (whitespace to \s)
    expect(builtinTokenize("baba  keko\thello héllo 日本語テキスト x\u00a0yz zoru")).toEqual([
      0, 3098, 37919, 20183, 16594, 23717, 12986, 11344, 24020, 15621, 8827, 15472, 27840, 17859,
      7119,
    ]);
    expect(BUILTIN_WORDS[3098]).toBe("keko");
    expect(builtinTokenize(" \n ")).toEqual([]);
  });

  it("stops once it has more ids than the limit", () => {
    const text = "ab ".repeat(1000);
    expect(builtinTokenize(text)).toHaveLength(1000);
    expect(builtinTokenize(text, 10)).toHaveLength(11);
    expect(builtinTokenize("baba keko", 5)).toEqual([0, 3098]);
  });
});
