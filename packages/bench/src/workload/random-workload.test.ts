import { describe, expect, it } from "vitest";
import { builtinTokenizer } from "../tokenizer/builtin-tokenizer.js";
import { loadHfTokenizer } from "../tokenizer/hf-tokenizer.js";
import { randomWorkload } from "./random-workload.js";
import type { WorkItem } from "./types.js";

const TINY = new URL("../../test/fixtures/tiny-tokenizer/tokenizer.json", import.meta.url).pathname;

async function take(w: ReturnType<typeof randomWorkload>, n: number): Promise<WorkItem[]> {
  await w.prepare(n);
  const out: WorkItem[] = [];
  for (let i = 0; i < n; i++) out.push((await w.next())!);
  return out;
}

describe("randomWorkload", () => {
  it("draws lengths in [ratio x L, L], exact by the builtin tokenizer, unique, reproducible", async () => {
    const tokenizer = builtinTokenizer();
    const items = await take(
      randomWorkload({ isl: 100, osl: 20, rangeRatio: 0.8, seed: 5, tokenizer }),
      50,
    );
    for (const it of items) {
      expect(it.promptTokens).toBeGreaterThanOrEqual(80);
      expect(it.promptTokens).toBeLessThanOrEqual(100);
      expect(await tokenizer.count(it.prompt as string)).toBe(it.promptTokens);
      expect(it.maxTokens).toBeGreaterThanOrEqual(16);
      expect(it.maxTokens).toBeLessThanOrEqual(20);
    }
    expect(new Set(items.map((i) => i.prompt)).size).toBe(50);
    expect(new Set(items.map((i) => i.promptTokens)).size).toBeGreaterThan(5);
    const again = await take(
      randomWorkload({ isl: 100, osl: 20, rangeRatio: 0.8, seed: 5, tokenizer }),
      50,
    );
    expect(again).toEqual(items);
    const other = await take(
      randomWorkload({ isl: 100, osl: 20, rangeRatio: 0.8, seed: 6, tokenizer }),
      1,
    );
    expect(other[0]!.prompt).not.toBe(items[0]!.prompt);
  });

  it("shares a prefix of the given length and diverges right after it", async () => {
    const items = await take(
      randomWorkload({
        isl: 40,
        osl: 4,
        rangeRatio: 1,
        prefixLength: 10,
        seed: 1,
        tokenizer: builtinTokenizer(),
      }),
      20,
    );
    const words = items.map((i) => (i.prompt as string).split(" "));
    const prefix = words[0]!.slice(0, 10).join(" ");
    for (const w of words) {
      expect(w).toHaveLength(40);
      expect(w.slice(0, 10).join(" ")).toBe(prefix);
    }
    expect(new Set(words.map((w) => w.slice(10, 13).join(" "))).size).toBe(20);
    expect(items.every((i) => i.maxTokens === 4)).toBe(true);
  });

  it("fits lengths with a Hugging Face tokenizer.json and sends token ids when asked", async () => {
    const tokenizer = await loadHfTokenizer(TINY);
    const items = await take(
      randomWorkload({ isl: 30, osl: 8, rangeRatio: 1, seed: 2, tokenizer }),
      10,
    );
    for (const it of items)
      expect(await tokenizer.count(it.prompt as string)).toBe(it.promptTokens);
    expect(items.filter((i) => i.promptTokens === 30).length).toBeGreaterThanOrEqual(8);
    const ids = await take(
      randomWorkload({ isl: 30, osl: 8, rangeRatio: 1, seed: 2, tokenizer, tokenIds: true }),
      3,
    );
    for (const it of ids) {
      expect(it.prompt).toHaveLength(30);
      expect((it.prompt as number[]).every((id) => id >= 1 && id <= 34)).toBe(true); // never the special id 0
    }
  });

  it("builds more items on demand past what was prepared", async () => {
    const w = randomWorkload({
      isl: 8,
      osl: 2,
      rangeRatio: 1,
      seed: 1,
      tokenizer: builtinTokenizer(),
    });
    await w.prepare(1);
    await w.next();
    const late = await w.next();
    expect(late?.promptTokens).toBe(8);
  });

  it("gives the same items whether prepared or made on demand, across many levels' worth", async () => {
    const tokenizer = builtinTokenizer();
    const make = () => randomWorkload({ isl: 6, osl: 2, rangeRatio: 0.5, seed: 9, tokenizer });
    const prepared = make();
    const onDemand = make();
    const a: WorkItem[] = [];
    const b: WorkItem[] = [];
    // two "levels": 5,000 prepared then 10 more made on demand, and 3,000 prepared again
    await prepared.prepare(5000);
    for (let i = 0; i < 5010; i++) a.push((await prepared.next())!);
    await prepared.prepare(3000);
    for (let i = 0; i < 3000; i++) a.push((await prepared.next())!);
    for (let i = 0; i < 8010; i++) b.push((await onDemand.next())!);
    expect(a.map((i) => i.prompt)).toEqual(b.map((i) => i.prompt));
    expect(a[8009]!.prompt).toBe(a[8009]!.prompt); // the packed prompt reads back the same each time
    expect(new Set(a.map((i) => i.prompt)).size).toBeGreaterThan(7900); // 6-token prompts: a few may repeat
  });
});
