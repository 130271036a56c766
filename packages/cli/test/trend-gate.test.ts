import { join } from "node:path";
import { PointResult } from "@infermark/core";
import { openStore } from "@infermark/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointJson, runCli, tempDir } from "./helpers.js";

/**
 * One night of a group: three levels at 20, 40 and 60 tok/s/user, the throughput scaled by `scale` (so its value at
 * 40 tok/s/user, a frontier point, is exactly 800 x scale tok/s/GPU).
 */
const night = (hardware: string, date: string, scale: number) =>
  (
    [
      [4, 20, 1000],
      [16, 40, 800],
      [64, 60, 500],
    ] as const
  ).map(([concurrency, intvty, tput]) => {
    const base = pointJson(concurrency);
    return PointResult.parse({
      ...base,
      run: { source: "measured", date: `${date}T02:00:00.000Z` },
      config: { ...base.config, hardware },
      metrics: { tputPerGpu: tput * scale, intvty: { median: intvty } },
    });
  });

const label = (hardware: string) => `dsr1 1024/1024 ${hardware} vllm fp8 agg`;

describe("trend --fail-on-regression: a nightly gate over a real SQLite store", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let db: string;
  let oneNight: string;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    db = join(dir, "nightly.db");
    oneNight = join(dir, "one-night.db");
    const store = await openStore(db);
    try {
      await store.ingest([
        // h200: 3% worse than the night before, but 19% worse than the first night
        ...night("h200", "2026-11-26", 1.2),
        ...night("h200", "2026-11-27", 1),
        ...night("h200", "2026-11-28", 0.97),
        // b200: 10% worse than the night before
        ...night("b200", "2026-11-26", 1),
        ...night("b200", "2026-11-27", 1),
        ...night("b200", "2026-11-28", 0.9),
        // gb200: 10% better (its cost per token 9.1% lower)
        ...night("gb200", "2026-11-27", 1),
        ...night("gb200", "2026-11-28", 1.1),
        // mi300x: not measured on the latest night
        ...night("mi300x", "2026-11-26", 1),
        ...night("mi300x", "2026-11-27", 1),
        // h100: measured on the latest night, but only at 50 and 60 tok/s/user: no value at 40
        ...night("h100", "2026-11-27", 1),
        ...night("h100", "2026-11-28", 1).filter((p) => p.config.load.concurrency === 64),
        ...night("h100", "2026-11-28", 1)
          .filter((p) => p.config.load.concurrency === 16)
          .map((p) => ({ ...p, metrics: { ...p.metrics, intvty: { median: 50 } } })),
      ]);
    } finally {
      await store.close();
    }
    const single = await openStore(oneNight);
    try {
      await single.ingest(night("h200", "2026-11-28", 1));
    } finally {
      await single.close();
    }
  });
  afterAll(async () => cleanup());

  const trend = (...args: string[]) => runCli(["trend", "--db", db, "--at", "40", ...args]);
  const stderrLines = (stderr: string) => stderr.trim().split("\n");

  it("passes (exit 0) when no group got worse by more than the limit since the night before", async () => {
    const r = await trend("--hardware", "h200,gb200", "--fail-on-regression", "5");
    expect(r.code).toBe(0);
    expect(stderrLines(r.stderr)).toEqual([
      "infermark: trend gate passed: 0 of 2 groups regressed more than 5% in tputPerGpu@40 (2026-11-27 -> 2026-11-28), 0 missing",
    ]);
    // one line per group checked: its factor row says the verdict
    expect(r.stdout).toMatch(
      new RegExp(
        `${label("h200")} +factor +0\\.97 +2026-11-27 -> 2026-11-28: pass: dropped 3% \\(limit 5%\\)`,
      ),
    );
    expect(r.stdout).toMatch(
      new RegExp(
        `${label("gb200")} +factor +1\\.1 +2026-11-27 -> 2026-11-28: pass: rose 10% \\(limit 5%\\)`,
      ),
    );
  });

  it("fails (exit 1) on a regression, one stderr line naming the group and its factor", async () => {
    const r = await trend("--fail-on-regression", "5%", "--allow-missing");
    expect(r.code).toBe(1);
    expect(stderrLines(r.stderr)).toEqual([
      `infermark: regressed: ${label("b200")}: tputPerGpu@40 dropped 10%, more than 5% (800 on 2026-11-27 -> 720 on 2026-11-28, factor 0.9)`,
      `infermark: missing: ${label("h100")}: no value on 2026-11-28: intvty 40.0 is outside the frontier's range 50.0-60.0 tok/s/user; never extrapolated (passes: --allow-missing)`,
      `infermark: missing: ${label("mi300x")}: not measured on 2026-11-28 (passes: --allow-missing)`,
      "infermark: trend gate failed: 1 of 5 groups regressed more than 5% in tputPerGpu@40 (2026-11-27 -> 2026-11-28), 2 missing (allowed)",
    ]);
    // a limit above the drop lets it pass
    const lenient = await trend("--hardware", "b200", "--fail-on-regression", "10.5");
    expect(lenient.code).toBe(0);
  });

  it("--json carries each group's verdict and the gate's; stdout stays JSON", async () => {
    const r = await trend("--fail-on-regression", "5", "--json");
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.between).toEqual({ from: "2026-11-27", to: "2026-11-28" });
    expect(json.direction).toBe("higher");
    expect(json.gate).toEqual({
      failOnRegression: 5,
      allowMissing: false,
      passed: false,
      checked: 5,
      regressed: 1,
      missing: 2,
    });
    const checks = Object.fromEntries(
      json.groups.map((g: { group: string; check: unknown }) => [g.group, g.check]),
    );
    expect(checks[label("b200")].verdict).toBe("regressed");
    expect(checks[label("b200")].worsePercent).toBeCloseTo(10, 9);
    expect(checks[label("h200")].verdict).toBe("pass");
    expect(checks[label("h200")].worsePercent).toBeCloseTo(3, 9);
    expect(checks[label("mi300x")]).toEqual({
      verdict: "missing",
      reason: "not measured on 2026-11-28",
    });
  });

  it("reads a cost's rise as the regression and its fall as an improvement (the metric's direction)", async () => {
    // b200's throughput fell 10%: its cost per million tokens rose 1/0.9 - 1 = 11.11%
    const b200 = await trend("--y", "cost", "--hardware", "b200", "--fail-on-regression", "5");
    expect(b200.code).toBe(1);
    expect(stderrLines(b200.stderr)[0]).toMatch(
      new RegExp(
        `^infermark: regressed: ${label("b200")}: costPerMillionTotal@40 rose 11\\.11%, more than 5% \\([0-9.]+ on 2026-11-27 -> [0-9.]+ on 2026-11-28, factor 1\\.111\\)$`,
      ),
    );
    // gb200's cost fell 9.09% (factor 0.909, below 0.95): better, not a 9% "drop"
    const gb200 = await trend("--y", "cost", "--hardware", "gb200", "--fail-on-regression", "5");
    expect(gb200.code).toBe(0);
    expect(gb200.stdout).toMatch(
      /factor +0\.9091 +2026-11-27 -> 2026-11-28: pass: dropped 9\.091%/,
    );
  });

  it("a group without a value on one of the two dates fails the gate unless --allow-missing", async () => {
    const strict = await trend("--hardware", "mi300x,h200", "--fail-on-regression", "5");
    expect(strict.code).toBe(1);
    expect(stderrLines(strict.stderr)).toEqual([
      `infermark: missing: ${label("mi300x")}: not measured on 2026-11-28 (fails the gate; --allow-missing lets it pass)`,
      "infermark: trend gate failed: 0 of 2 groups regressed more than 5% in tputPerGpu@40 (2026-11-27 -> 2026-11-28), 1 missing",
    ]);
    expect(strict.stdout).toMatch(
      new RegExp(`${label("mi300x")} +factor +- +missing: not measured on 2026-11-28`),
    );
    const allowed = await trend(
      ...["--hardware", "mi300x,h200", "--fail-on-regression", "5", "--allow-missing"],
    );
    expect(allowed.code).toBe(0);
    // measured, but its frontier no longer reaches the target: missing too, with the frontier's own reason
    const outside = await trend("--hardware", "h100", "--fail-on-regression", "5");
    expect(outside.code).toBe(1);
    expect(stderrLines(outside.stderr)[0]).toBe(
      `infermark: missing: ${label("h100")}: no value on 2026-11-28: intvty 40.0 is outside the frontier's range 50.0-60.0 tok/s/user; never extrapolated (fails the gate; --allow-missing lets it pass)`,
    );
    // a store of one night has nothing to compare with: missing, not a silent pass
    const first = await runCli([
      ...["trend", "--db", oneNight, "--at", "40", "--fail-on-regression", "5"],
    ]);
    expect(first.code).toBe(1);
    expect(stderrLines(first.stderr)[0]).toBe(
      `infermark: missing: ${label("h200")}: no date before the latest (2026-11-28) to compare with: the selected points have one date (fails the gate; --allow-missing lets it pass)`,
    );
  });

  it("--between takes first, previous and latest; the gate compares previous,latest by default", async () => {
    const h200 = ["--hardware", "h200", "--json"];
    const factor = async (...args: string[]) => {
      const r = await trend(...h200, ...args);
      expect(r.code, args.join(" ")).toBe(args.includes("--fail-on-regression") ? 1 : 0);
      return JSON.parse(r.stdout).groups[0].factor;
    };
    // trend alone: first and last with a value
    expect((await factor()).from).toBe("2026-11-26");
    const last = await factor("--between", "previous,latest");
    expect([last.from, last.to]).toEqual(["2026-11-27", "2026-11-28"]);
    expect(last.factor).toBeCloseTo(0.97, 12);
    const mixed = await factor("--between", "first,previous");
    expect([mixed.from, mixed.to, mixed.factor]).toEqual(["2026-11-26", "2026-11-27", 1 / 1.2]);
    // the gate's default is the night before: 3% passes; against the first night the same group is 19.17% worse
    expect((await trend("--hardware", "h200", "--fail-on-regression", "5")).code).toBe(0);
    const sinceFirst = await trend(
      ...["--hardware", "h200", "--fail-on-regression", "5", "--between", "first,latest"],
    );
    expect(sinceFirst.code).toBe(1);
    expect(stderrLines(sinceFirst.stderr)[0]).toBe(
      `infermark: regressed: ${label("h200")}: tputPerGpu@40 dropped 19.17%, more than 5% (960 on 2026-11-26 -> 776 on 2026-11-28, factor 0.8083)`,
    );
    // --to moves "latest": the gate as of an earlier night
    const asOf = await trend(
      "--hardware",
      "b200",
      "--to",
      "2026-11-27",
      "--fail-on-regression",
      "5",
    );
    expect(asOf.code).toBe(0);
    expect(stderrLines(asOf.stderr)).toEqual([
      "infermark: trend gate passed: 0 of 1 group regressed more than 5% in tputPerGpu@40 (2026-11-26 -> 2026-11-27), 0 missing",
    ]);
    const reversed = await trend("--between", "latest,previous");
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toContain("--between: latest is after previous");
  });

  it("refuses a bad threshold (exit 2, one line naming the flag)", async () => {
    const bads = ["-1", "abc", "", "Infinity", "5%%", "NaN"];
    // the flag checks come before the store is read: the processes can run side by side
    const results = await Promise.all(bads.map((bad) => trend("--fail-on-regression", bad)));
    for (const [i, r] of results.entries()) {
      const bad = bads[i]!;
      expect(r.code, bad).toBe(2);
      expect(r.stdout, bad).toBe("");
      const lines = stderrLines(r.stderr);
      expect(lines.length, bad).toBe(1);
      expect(lines[0], bad).toContain(
        `--fail-on-regression expects a percent >= 0 (5 or 5%: fail a group more than 5% worse), got "${bad}"`,
      );
    }
    const alone = await trend("--allow-missing");
    expect(alone.code).toBe(2);
    expect(stderrLines(alone.stderr)).toEqual([
      "infermark: --allow-missing needs --fail-on-regression",
    ]);
  });
});
