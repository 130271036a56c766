import { describe, expect, it } from "vitest";
import { MINIMAL_POINT } from "../../test/fixtures/minimal-point.js";
import { PointResult } from "./point-result.js";
import { SweepSpec } from "./sweep-spec.js";
import { check, detectContract, formatPath } from "./validate.js";

describe("check", () => {
  it("accepts a minimal PointResult and fills defaults", () => {
    const r = check(PointResult, MINIMAL_POINT);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.config.specDecoding).toEqual({ method: "none" });
      expect(r.value.config.topology.disaggregated).toBe(false);
      expect(r.value.errors).toEqual({ total: 0, requests: 0, rate: 0, byCategory: {} });
    }
  });

  it("reports each error with its path and what was expected", () => {
    const bad = {
      ...MINIMAL_POINT,
      config: {
        ...MINIMAL_POINT.config,
        topology: { gpus: "eight", prefillGpus: 8, decodeGpus: 8 },
      },
      surprise: 1,
    };
    const r = check(PointResult, bad);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues).toEqual([
        {
          path: "config.topology.gpus",
          message: "Invalid input: expected number, received string",
        },
        { path: "", message: 'Unrecognized key: "surprise"' },
      ]);
    }
  });

  it("takes a run date as an ISO day or date-time only (the day is read as its first 10 characters)", () => {
    const withDate = (date: string) =>
      PointResult.safeParse({ ...MINIMAL_POINT, run: { ...MINIMAL_POINT.run, date } }).success;
    const good = [
      "2026-07-01",
      "2026-07-01T12:00:00Z",
      "2026-07-01T12:00:00.123+02:00",
      "2026-07-01 12:00:00+00", // a database dump's timestamp
    ];
    expect(good.map(withDate)).toEqual(good.map(() => true));
    const bad = ["yesterday", "07/01/2026", "2026-02-30", "2026-07-01Tnoon", "2026-07-01x"];
    expect(bad.map(withDate)).toEqual(bad.map(() => false));
  });

  it("validates a SweepSpec with a geometric concurrency range", () => {
    const r = check(SweepSpec, {
      name: "quick",
      model: "dsr1",
      hardware: "h200",
      framework: "sim",
      precision: "fp8",
      scenarios: [{ isl: 1024, osl: 1024 }],
      search: { tp: [8], concurrency: { from: 1, to: 64 } },
      server: { kind: "simulator", speed: 20 },
    });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.search.concurrency).toEqual({ from: 1, to: 64, factor: 2 });
  });
});

describe("detectContract", () => {
  it("recognises each contract", () => {
    expect(detectContract(MINIMAL_POINT)).toBe("PointResult");
    expect(detectContract({ name: "x", scenarios: [], search: {} })).toBe("SweepSpec");
    expect(detectContract({ tSend: 1, events: [] })).toBe("RequestRecord");
    expect(detectContract([1, 2])).toBeUndefined();
  });
});

it("formats paths with indices", () => {
  expect(formatPath(["scenarios", 2, "isl"])).toBe("scenarios[2].isl");
});
