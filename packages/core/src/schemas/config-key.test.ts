import { describe, expect, it } from "vitest";
import { MINIMAL_POINT } from "../../test/fixtures/minimal-point.js";
import { configurationKey, levelKey } from "./config-key.js";
import { PointResult } from "./point-result.js";

const config = (workload: Record<string, unknown>) =>
  PointResult.parse({ ...MINIMAL_POINT, config: { ...MINIMAL_POINT.config, workload } }).config;

describe("configurationKey", () => {
  it("keeps a random workload's key as it was (ISL, OSL and kind only)", () => {
    const random = { isl: 1024, osl: 1024, rangeRatio: 0.8, seed: 3, prefixLength: 100 };
    expect(configurationKey(config(random))).toContain(
      '"workload":{"isl":1024,"kind":"random","osl":1024}',
    );
  });

  it("tells sessions of other turns or think times apart, so neither hides the other as its latest", () => {
    const session = { kind: "session", isl: 1000, osl: 100, turns: 4, thinkTimeMs: 2000 };
    const keys = [
      config(session),
      config({ ...session, turns: 8 }),
      config({ ...session, thinkTimeMs: 0 }),
      config({ ...session, thinkTime: "exponential" }),
      config({ ...session, prefixLength: 512 }),
    ].map(levelKey);
    expect(new Set(keys).size).toBe(5);
  });
});
