import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MINIMAL_POINT } from "../../test/fixtures/minimal-point.js";
import { stableStringify } from "./config-key.js";
import { CanonicalPointResult, PointResult } from "./point-result.js";
import { withSortedKeys } from "./sorted-keys.js";
import { check } from "./validate.js";

/** A full measured point (every metric, errors, goodput), as `infermark bench` wrote it. */
const FULL_POINT = JSON.parse(
  readFileSync(new URL("../../test/fixtures/full-point.json", import.meta.url), "utf8"),
) as Record<string, unknown>;

/** Whether the keys of every object in `value` are in sorted order, as JSON.stringify writes them. */
function keysSorted(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysSorted);
  if (value === null || typeof value !== "object") return true;
  const keys = Object.keys(value);
  return (
    keys.every((k, i) => i === 0 || keys[i - 1]! < k) && Object.values(value).every(keysSorted)
  );
}

/** `value` with the keys of every object in an order drawn from `rng` (the input order must not matter). */
function shuffled(value: unknown, rng: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffled(v, rng));
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffled(v, rng)]));
}

describe("withSortedKeys", () => {
  it("writes every object's keys in sorted order, through wrappers, and keeps the checks", () => {
    const Schema = z
      .object({
        zeta: z.number().min(1),
        alpha: z.object({ y: z.string(), x: z.string() }).strict(),
        list: z.array(z.object({ d: z.number(), c: z.number() })).optional(),
        dflt: z.object({ q: z.number(), p: z.number() }).default({ q: 1, p: 2 }),
        either: z.union([z.object({ n: z.literal(1), m: z.number() }), z.string()]),
        map: z.record(z.string(), z.object({ k: z.number(), j: z.number() })),
      })
      .strict();
    const Sorted = withSortedKeys(Schema);
    const input = {
      map: { b: { k: 1, j: 2 }, a: { k: 3, j: 4 } },
      either: { n: 1, m: 5 },
      list: [{ d: 1, c: 2 }],
      alpha: { y: "y", x: "x" },
      zeta: 3,
    };
    const out = Sorted.parse(input);
    expect(JSON.stringify(out)).toBe(
      '{"alpha":{"x":"x","y":"y"},"dflt":{"p":2,"q":1},"either":{"m":5,"n":1},"list":[{"c":2,"d":1}],"map":{"b":{"j":2,"k":1},"a":{"j":4,"k":3}},"zeta":3}',
    );
    expect(out).toEqual(Schema.parse(input));
    // The checks came along: a bound, strictness, a literal.
    for (const bad of [
      { ...input, zeta: 0 },
      { ...input, alpha: { x: "x", y: "y", extra: 1 } },
      { ...input, either: { n: 2, m: 5 } },
    ]) {
      const a = Schema.safeParse(bad);
      const b = Sorted.safeParse(bad);
      expect(b.success).toBe(false);
      expect(b.error?.issues).toEqual(a.error?.issues);
    }
    // Each parse gets a default of its own.
    const first = Sorted.parse(input);
    first.dflt.p = 99;
    expect(Sorted.parse(input).dflt).toEqual({ p: 2, q: 1 });
  });

  it("gives PointResult's output, in canonical key order, for real points whatever their key order", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<unknown>(FULL_POINT, MINIMAL_POINT),
        fc.integer(),
        (point, seed) => {
          let s = seed;
          const rng = () => {
            s = (s * 1103515245 + 12345) & 0x7fffffff;
            return s / 0x80000000;
          };
          const input = shuffled(point, rng);
          const plain = check(PointResult, input);
          const canonical = check(CanonicalPointResult, input);
          expect(plain.ok && canonical.ok).toBe(true);
          if (!plain.ok || !canonical.ok) return;
          expect(canonical.value).toEqual(plain.value);
          expect(keysSorted(canonical.value)).toBe(true);
          expect(JSON.stringify(canonical.value)).toBe(stableStringify(plain.value));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("rejects what PointResult rejects, with the same issues", () => {
    const config = FULL_POINT.config as Record<string, unknown>;
    const bad: unknown[] = [
      { ...FULL_POINT, schema: "other/v1" },
      { ...FULL_POINT, run: { ...(FULL_POINT.run as object), source: "guessed" } },
      {
        ...FULL_POINT,
        config: { ...config, topology: { gpus: 0, prefillGpus: 1, decodeGpus: 1 } },
      },
      { ...FULL_POINT, config: { ...config, unknownKey: true } },
      { ...FULL_POINT, errors: { total: -1, requests: 1, rate: 0 } },
      { ...FULL_POINT, validity: undefined },
      { ...FULL_POINT, metrics: { tputPerGpu: "fast" } },
    ];
    for (const input of bad) {
      const plain = check(PointResult, input);
      const canonical = check(CanonicalPointResult, input);
      expect(plain.ok).toBe(false);
      expect(canonical.ok).toBe(false);
      if (!plain.ok && !canonical.ok) expect(canonical.issues).toEqual(plain.issues);
    }
  });
});
