import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointJson, REPO_ROOT, runCli, tempDir } from "./helpers.js";

// Points whose output throughput contradicts their own concurrency, output length and E2EL (Little's law; core's
// throughputConsistency, docs/metrics.md "Self-consistency"): import keeps and names them, validate warns,
// sim validate leaves them out of its error and ranking.

const LATEST = join(REPO_ROOT, "examples/data/inferencex/benchmarks.json");
const REASON =
  "inconsistent row: reported output throughput more than 4x from Little's law (concurrency x output tokens / E2EL; docs/metrics.md)";

type Row = Record<string, unknown> & { metrics: Record<string, number>; conc: number };

/** InferenceX's MI355X ATOM FP8 MTP 1k/1k row at 512 of 2026-06-02: 51 tok/s/GPU for a concurrency and E2EL of ~2,300. */
const isAtom = (r: Row) =>
  r.hardware === "mi355x" &&
  r.framework === "atom" &&
  r.spec_method === "mtp" &&
  r.conc === 512 &&
  r.date === "2026-06-02" &&
  r.isl === 1024 &&
  r.osl === 1024;

describe("inconsistent rows (Little's law)", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let rows: string;
  let many: string;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    const latest = JSON.parse(await readFile(LATEST, "utf8")) as Row[];
    // row 1: consistent (MI355X SGLang FP4 at 4: 199 tok/s/GPU, 0.87x); row 2: the ATOM row as published; row 3: row 1
    // at 40 x less throughput (0.022x); row 4: row 1 said to run at 64, 16 x its concurrency (0.054x); row 5: row 1
    // with the median E2EL alone, as history rows (0.86x)
    const ok = latest[0]!;
    const { mean_e2el: _mean, ...medianOnly } = ok.metrics;
    const scaled = (f: number) =>
      Object.fromEntries(
        Object.entries(ok.metrics).map(([k, v]) => [k, k.includes("tput") ? v / f : v]),
      );
    rows = join(dir, "rows.json");
    many = join(dir, "many.json");
    await writeFile(
      rows,
      JSON.stringify([
        ok,
        latest.find(isAtom),
        { ...ok, date: "2026-06-03", metrics: scaled(40) },
        { ...ok, date: "2026-06-04", conc: 64 },
        { ...ok, date: "2026-06-05", metrics: medianOnly },
      ]),
    );
    // 7 inconsistent rows: the first 5 are named, the rest counted
    await writeFile(
      many,
      JSON.stringify(
        [1, 2, 3, 4, 5, 6, 7].map((d) => ({ ...ok, date: `2026-07-0${d}`, metrics: scaled(40) })),
      ),
    );
  });
  afterAll(() => cleanup());

  it("import inferencex keeps the inconsistent rows and names them", async () => {
    const r = await runCli(["import", "inferencex", rows, "--db", join(dir, "rows.db")]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout.split("\n")).toEqual([
      `ok       ${rows}: 5 inserted, 0 unchanged`,
      "  warning: 3 row(s) inconsistent: reported output throughput more than 4x from Little's law (concurrency x output tokens / E2EL; docs/metrics.md); imported as published, left out by sim validate",
      "  warning: row 2 (mi355x atom fp8 mtp 1024/1024 conc 512, 2026-06-02) reports 202 output tok/s (25.3 per GPU x 8 decode GPUs), Little's law gives 9430 (concurrency 512 x 1024 nominal output tokens / mean E2EL 55.6 s): 0.021x",
      "  warning: row 3 (mi355x sglang fp4 none 1024/1024 conc 4, 2026-06-03) reports 9.90 output tok/s (2.47 per GPU x 4 decode GPUs), Little's law gives 456 (concurrency 4 x 1024 nominal output tokens / mean E2EL 8.99 s): 0.022x",
      "  warning: row 4 (mi355x sglang fp4 none 1024/1024 conc 64, 2026-06-04) reports 396 output tok/s (99.0 per GPU x 4 decode GPUs), Little's law gives 7289 (concurrency 64 x 1024 nominal output tokens / mean E2EL 8.99 s): 0.054x",
      "1 file(s): 5 inserted, 0 unchanged, 0 rejected, 0 row(s) skipped",
      "",
    ]);
  }, 60_000);

  it("import inferencex names the first 5 inconsistent rows and counts the rest", async () => {
    const r = await runCli(["import", "inferencex", many, "--db", join(dir, "many.db")]);
    expect(r.code).toBe(0);
    const warnings = r.stdout.split("\n").filter((l) => l.startsWith("  warning: "));
    expect(warnings.length).toBe(7);
    expect(warnings[0]).toMatch(/^ {2}warning: 7 row\(s\) inconsistent: /);
    expect(warnings.slice(1, 6).map((w) => w.slice(0, 24))).toEqual(
      [1, 2, 3, 4, 5].map((n) => `  warning: row ${n} (mi355x`),
    );
    expect(warnings[6]).toBe("  warning: ... and 2 more inconsistent row(s)");
  }, 60_000);

  it("validate warns of an inconsistent PointResult and still passes it", async () => {
    const metrics = (outputThroughput: number) => ({
      completed: 80,
      outputTokens: 80_000,
      outputThroughput,
      e2el: { mean: 10 },
    });
    const good = join(dir, "good.json");
    const bad = join(dir, "bad.json");
    await writeFile(good, JSON.stringify(pointJson(8, { metrics: metrics(760) })));
    await writeFile(bad, JSON.stringify(pointJson(8, { metrics: metrics(19) })));
    const r = await runCli(["validate", good, bad]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout.split("\n")).toEqual([
      `ok    ${good} (PointResult)`,
      `ok    ${bad} (PointResult)`,
      `warn  ${bad} (PointResult): inconsistent point: reports 19.0 output tok/s, Little's law gives 800 (concurrency 8 x 1000 counted output tokens / mean E2EL 10.0 s): 0.024x (Little's law; docs/metrics.md)`,
      "2 valid, 0 invalid, 1 with warnings",
      "",
    ]);
    const json = JSON.parse((await runCli(["validate", bad, "--json"])).stdout);
    expect(json[0].warnings).toEqual([expect.stringMatching(/^inconsistent point: reports 19.0 /)]);
  }, 60_000);

  it("validate passes a multi-turn point with think time and a run of fewer requests than its concurrency", async () => {
    // the figures of `infermark bench` against `sim serve`: `--workload multi-turn --turns 4 --think-time 5000
    // --concurrency 4`, whose slots wait 5 s between a reply and the next turn, which E2EL alone (0.42 s) does not
    // count; `--concurrency 32 --num-requests 4`, never more than 4 in flight
    const session = join(dir, "session.json");
    const few = join(dir, "few.json");
    const config = pointJson(4).config;
    await writeFile(
      few,
      JSON.stringify(
        pointJson(32, {
          config: { ...config, load: { mode: "concurrency", concurrency: 32, requests: 4 } },
          metrics: { completed: 4, outputTokens: 224, outputThroughput: 127, e2el: { mean: 1.4 } },
        }),
      ),
    );
    await writeFile(
      session,
      JSON.stringify(
        pointJson(4, {
          config: {
            ...config,
            workload: { kind: "session", isl: 128, osl: 32, turns: 4, thinkTimeMs: 5000 },
          },
          metrics: {
            completed: 24,
            outputTokens: 702,
            outputThroughput: 30.88,
            e2el: { mean: 0.42 },
          },
        }),
      ),
    );
    const r = await runCli(["validate", session, few]);
    expect([r.code, r.stderr, r.stdout]).toEqual([
      0,
      "",
      `ok    ${session} (PointResult)\nok    ${few} (PointResult)\n2 valid, 0 invalid\n`,
    ]);
  }, 60_000);

  it("sim validate leaves inconsistent rows and points out of its error and ranking, counted as a skip reason", async () => {
    const point = join(dir, "point.json");
    await writeFile(
      point,
      JSON.stringify(
        pointJson(8, {
          metrics: {
            completed: 80,
            outputTokens: 80_000,
            outputThroughput: 19,
            tputPerGpu: 5,
            intvty: { median: 50 },
            e2el: { mean: 10 },
          },
        }),
      ),
    );
    const [json, text] = await Promise.all([
      runCli(["sim", "validate", rows, point, "--json"]),
      runCli(["sim", "validate", rows, point]),
    ]);
    expect([json.code, json.stderr, text.code, text.stderr]).toEqual([0, "", 0, ""]);
    const report = JSON.parse(json.stdout) as {
      points: number;
      skipped: { reason: string; label: string }[];
    };
    expect(report.points).toBe(2);
    expect(report.skipped).toEqual([
      {
        reason: REASON,
        label:
          "mi355x atom fp8 mtp 1024/1024 conc 512 2026-06-02: reports 202 output tok/s (25.3 per GPU x 8 decode GPUs), Little's law gives 9430 (concurrency 512 x 1024 nominal output tokens / mean E2EL 55.6 s): 0.021x",
      },
      { reason: REASON, label: expect.stringMatching(/^mi355x sglang fp4 none .* 2026-06-03: /) },
      { reason: REASON, label: expect.stringMatching(/^mi355x sglang fp4 none .* 2026-06-04: /) },
      {
        reason: REASON,
        label:
          "h200 vllm fp8 none 1024/1024 conc 8 2026-11-27: reports 19.0 output tok/s, Little's law gives 800 (concurrency 8 x 1000 counted output tokens / mean E2EL 10.0 s): 0.024x",
      },
    ]);
    expect(text.stdout).toContain(`\n2 points, 4 skipped. `);
    expect(text.stdout).toContain(`\n  skipped 4 x ${REASON}\n`);
  }, 60_000);

  it("sim validate of InferenceX's latest rows leaves out the ATOM row, and no other, as inconsistent", async () => {
    const r = await runCli(["sim", "validate", LATEST, "--json"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const { skipped } = JSON.parse(r.stdout) as { skipped: { reason: string; label: string }[] };
    expect(skipped.filter((s) => s.reason === REASON).map((s) => s.label.split(":")[0])).toEqual([
      "mi355x atom fp8 mtp 1024/1024 conc 512 2026-06-02",
    ]);
  }, 60_000);
});
