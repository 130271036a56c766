import { describe, expect, it } from "vitest";
import { builtinTokenizer } from "../tokenizer/builtin-tokenizer.js";
import { blockPrompts } from "./trace-prompts.js";

const tok = builtinTokenizer();
const B = 16;

describe("blockPrompts", () => {
  const p = blockPrompts(tok, B, 3);

  it("gives the same tokens to the same hash ids, whichever record, and others to other ids", () => {
    const a = p.ids(0, 3 * B, [1, 2, 3]);
    const b = p.ids(5, 3 * B, [1, 2, 9]);
    const c = p.ids(6, 2 * B, [4, 2]);
    expect(b.slice(0, 2 * B)).toEqual(a.slice(0, 2 * B));
    expect(b.slice(2 * B)).not.toEqual(a.slice(2 * B));
    // block 2 after another first block: the same block, not the same prefix
    expect(c.slice(B)).toEqual(a.slice(B, 2 * B));
    expect(c.slice(0, B)).not.toEqual(a.slice(0, B));
    // reproducible from the seed alone; another seed, other blocks
    expect(blockPrompts(tok, B, 3).ids(9, 3 * B, [1, 2, 3])).toEqual(a);
    expect(blockPrompts(tok, B, 4).ids(0, B, [1])).not.toEqual(a.slice(0, B));
  });

  it("cuts the last block to the input length and fills past the hash ids with the record's own tokens", () => {
    const cut = p.ids(0, B + 5, [1, 2]);
    expect(cut).toEqual(p.ids(1, 2 * B, [1, 2]).slice(0, B + 5));
    const filled = p.ids(7, 3 * B, [1]);
    const other = p.ids(8, 3 * B, [1]);
    expect(filled.slice(0, B)).toEqual(cut.slice(0, B));
    expect(filled).toHaveLength(3 * B);
    // the filler is the record's own: another record's differs from its first token
    expect(filled.slice(B, B + 8)).not.toEqual(other.slice(B, B + 8));
    expect(p.ids(7, 3 * B, [1])).toEqual(filled);
  });

  it("decodes to text of exactly the input length by the builtin tokenizer, sharing the text prefix", async () => {
    for (const n of [1, B - 1, B, B + 1, 5 * B + 3]) {
      const text = await p.decode(p.ids(2, n, [10, 11, 12]));
      expect(await tok.count(text)).toBe(n);
    }
    const a = await p.decode(p.ids(0, 2 * B + 4, [10, 11, 12]));
    const b = await p.decode(p.ids(1, 2 * B + 9, [10, 11, 13]));
    const shared = await p.decode(p.ids(2, 2 * B, [10, 11]));
    expect(a.startsWith(`${shared} `)).toBe(true);
    expect(b.startsWith(`${shared} `)).toBe(true);
  });
});
