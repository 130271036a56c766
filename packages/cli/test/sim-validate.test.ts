import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { applyCatalogOverrides, DEFAULT_CATALOG } from "@infermark/core";
import { predictSweep } from "@infermark/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { RTX6000_OVERRIDE } from "../../core/test/fixtures/rtx6000-override.js";
import { REPO_ROOT, runCli, tempDir } from "./helpers.js";

let dir: string;
let cleanup: () => Promise<void>;
let catalog: string;
let measured: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  catalog = join(dir, "catalog.yaml");
  await writeFile(catalog, JSON.stringify(RTX6000_OVERRIDE));
  // measured points of gpt-oss-120b on that GPU, as TensorRT-LLM would give them: three curves (ISL 128, 256,
  // 512), so that the calibration's split by curve puts some in training and some in hold-out
  const points = [128, 256, 512].flatMap(
    (isl) =>
      predictSweep(
        {
          model: "gptoss120b",
          hardware: "rtx6000",
          precision: "fp4",
          catalog: applyCatalogOverrides(DEFAULT_CATALOG, RTX6000_OVERRIDE),
        },
        { isl, osl: 8, concurrency: [1, 4], requests: 4 },
      ).points,
  );
  measured = join(dir, "rtx6000.jsonl");
  await writeFile(
    measured,
    `${points
      .map((p) =>
        JSON.stringify({
          ...p,
          run: { ...p.run, source: "measured" },
          config: { ...p.config, framework: "trt" },
        }),
      )
      .join("\n")}\n`,
  );
});
afterAll(() => cleanup());

describe("sim validate and sim calibrate read the catalog override, as sim predict does", () => {
  it("validate a GPU declared in --catalog or INFERMARK_CATALOG (they skipped its points as unknown)", async () => {
    const [flag, env, builtin, table] = await Promise.all([
      runCli(["sim", "validate", measured, "--catalog", catalog, "--json"]),
      runCli(["sim", "validate", measured, "--json"], { env: { INFERMARK_CATALOG: catalog } }),
      runCli(["sim", "validate", measured, "--json"], { env: { INFERMARK_CATALOG: undefined } }),
      runCli(["sim", "validate", measured], { env: { INFERMARK_CATALOG: undefined } }),
    ]);
    for (const r of [flag, env]) {
      expect([r.code, r.stderr]).toEqual([0, ""]);
      const report = JSON.parse(r.stdout) as { points: number; skipped: unknown[] };
      expect([report.points, report.skipped]).toEqual([6, []]);
    }
    // the built-in catalog lacks the GPU: every point is skipped, and nothing validated is an error that says why
    // (it printed an empty table, "MdAPE: -", and exited 0)
    for (const r of [builtin, table])
      expect([r.code, r.stdout, r.stderr]).toEqual([
        2,
        "",
        `infermark: sim validate: no measured point to validate in ${measured}: 6 row(s) skipped (6 x unknown GPU "rtx6000"; known: h100, h200, b200, b300, gb200, gb300, mi300x, mi325x, mi355x)\n`,
      ]);
  }, 60_000);

  it("validate says what it measured: what each column is, which factors predicted, what it assumed of InferenceX rows", async () => {
    const latest = join(REPO_ROOT, "examples/data/inferencex/benchmarks.json");
    const [row] = JSON.parse(await readFile(latest, "utf8"));
    const rows = join(dir, "one-row.json");
    await writeFile(rows, JSON.stringify([row]));
    const [points, inferencex] = await Promise.all([
      runCli(["sim", "validate", measured, "--catalog", catalog]),
      runCli(["sim", "validate", rows]),
    ]);
    // the lines under the table
    const legend = (stdout: string) => stdout.split("\n\n")[1]!.split("\n");
    expect([points.code, points.stderr]).toEqual([0, ""]);
    expect(legend(points.stdout).slice(0, 3)).toEqual([
      "6 points, 0 skipped. Method: throughput per GPU on the predicted frontier at the measured median interactivity (mean-field steady state).",
      "columns: MdAPE@intvty, the median of |predicted - measured| / measured throughput per GPU, predicted on the frontier at the measured median interactivity; MdAPE@conc, the same predicted at the measured concurrency; median signed, the median of (predicted - measured) / measured at the measured interactivity (+: more throughput predicted than measured)",
      "efficiency factors: the defaults, one set for every GPU and engine (comm 0.7 of the link, not 0.175, for models without MLA), steps x1.35 on mi300x, mi325x for MLA or FP8-expert MoE models (platform factor) (no --calibration)",
    ]);
    expect([inferencex.code, inferencex.stderr]).toEqual([0, ""]);
    expect(legend(inferencex.stdout)[3]).toBe(
      "1 of 1 points are InferenceX rows, which record neither their length distribution nor MTP settings: mean lengths taken as 0.9 x nominal (uniform in [0.8 L, L]), the MTP depth from the engines' recipes, an acceptance of 1 + p + ... + p^d tokens per step with p = 0.8",
    );
  }, 60_000);

  it("validate InferenceX rows of a GPU declared in --catalog (they were skipped as unknown hardware)", async () => {
    const latest = join(REPO_ROOT, "examples/data/inferencex/benchmarks.json");
    const [row] = JSON.parse(await readFile(latest, "utf8"));
    const rows = join(dir, "rtx6000-rows.json");
    // an API row, and the same measurement as a flat agg row (`hw`, the metrics beside it)
    const { hardware: _hardware, metrics, ...config } = row;
    await writeFile(
      rows,
      JSON.stringify([
        { ...row, hardware: "rtx6000" },
        { ...config, ...metrics, hw: "rtx6000", conc: row.conc * 2 },
      ]),
    );
    const [flag, builtin] = await Promise.all([
      runCli(["sim", "validate", rows, "--catalog", catalog, "--json"]),
      runCli(["sim", "validate", rows, "--json"], { env: { INFERMARK_CATALOG: undefined } }),
    ]);
    expect([flag.code, flag.stderr]).toEqual([0, ""]);
    const report = JSON.parse(flag.stdout) as { points: number; skipped: unknown[] };
    expect([report.points, report.skipped]).toEqual([2, []]);
    const unknown =
      'unknown hardware "rtx6000": the catalog has no GPU "rtx6000"; declare it with its figures under gpus: in a catalog override file (--catalog FILE or INFERMARK_CATALOG=FILE; docs/catalog.md)';
    expect([builtin.code, builtin.stdout, builtin.stderr]).toEqual([
      2,
      "",
      `infermark: sim validate: no measured point to validate in ${rows}: 2 row(s) skipped (2 x ${unknown})\n`,
    ]);
  }, 60_000);

  it("calibrate a GPU declared in --catalog (its factors were empty and its hold-out points unpredicted)", async () => {
    const [flag, env] = await Promise.all([
      runCli(["sim", "calibrate", measured, "--catalog", catalog, "--json"]),
      runCli(["sim", "calibrate", measured, "--json"], { env: { INFERMARK_CATALOG: catalog } }),
    ]);
    for (const r of [flag, env]) {
      expect([r.code, r.stderr]).toEqual([0, ""]);
      const result = JSON.parse(r.stdout) as {
        factors: Record<string, object>;
        train: number;
        holdout: number;
        holdoutMdapeDefault: number;
      };
      expect(result.train + result.holdout).toBe(6);
      expect(Object.keys(result.factors)).toEqual(["rtx6000/trt"]);
      expect(Object.keys(result.factors["rtx6000/trt"]!).sort()).toEqual([
        "compute",
        "layerOverheadUs",
        "memory",
        "stepOverheadUs",
      ]);
      expect(Number.isFinite(result.holdoutMdapeDefault)).toBe(true);
    }
  }, 60_000);

  it("calibrate leaves out a pair none of whose training points resolve, with a warning line and in --json (it wrote {} for it without a word)", async () => {
    // the same points on a GPU no catalog declares
    const unknown = join(dir, "l40s.jsonl");
    await writeFile(unknown, (await readFile(measured, "utf8")).replaceAll('"rtx6000"', '"l40s"'));
    const output = join(dir, "calib.yaml");
    const r = await runCli([
      "sim",
      "calibrate",
      measured,
      unknown,
      "--catalog",
      catalog,
      "-o",
      output,
      "--json",
    ]);
    const reason =
      'unknown GPU "l40s"; known: h100, h200, b200, b300, gb200, gb300, mi300x, mi325x, mi355x, rtx6000';
    expect([r.code, r.stderr]).toEqual([
      0,
      `infermark: warning: no factors for 1 hardware/framework pair whose training points all failed to resolve, left out of ${output}: l40s/trt (2 points: ${reason})\n`,
    ]);
    const result = JSON.parse(r.stdout) as {
      factors: Record<string, object>;
      perPair: { pair: string }[];
      unfitted: unknown[];
    };
    expect(result.unfitted).toEqual([{ pair: "l40s/trt", train: 2, reasons: [reason] }]);
    expect(Object.keys(result.factors)).toEqual(["rtx6000/trt"]);
    expect(result.perPair.map((p) => p.pair)).toEqual(["rtx6000/trt"]);
    const written = parseYaml(await readFile(output, "utf8")) as { factors: object };
    expect(Object.keys(written.factors)).toEqual(["rtx6000/trt"]);
  }, 60_000);

  it("calibrate without -o refuses a run that fitted no pair too (it printed an empty table and exited 0)", async () => {
    const simulated = join(dir, "simulated.json");
    const [point] = predictSweep(
      { model: "dsr1", hardware: "h200", tp: 8 },
      { isl: 128, osl: 8, concurrency: [1], requests: 2 },
    ).points;
    await writeFile(simulated, JSON.stringify(point));
    const r = await runCli(["sim", "calibrate", simulated]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      "",
      `infermark: sim calibrate: no hardware/framework pair could be fitted (0 training point(s)) from ${simulated}: 1 row(s) skipped (1 x a simulated point (validation compares with measurements))\n`,
    ]);
  }, 60_000);

  it("calibrate -o refuses a run that fitted no pair and writes nothing (it wrote a file of no factors)", async () => {
    const unknown = join(dir, "only-l40s.jsonl");
    await writeFile(unknown, (await readFile(measured, "utf8")).replaceAll('"rtx6000"', '"l40s"'));
    const output = join(dir, "none.yaml");
    const r = await runCli(["sim", "calibrate", unknown, "-o", output]);
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toMatch(
      /^infermark: sim calibrate: no hardware\/framework pair could be fitted \(\d+ training point\(s\); unresolved: l40s\/trt: unknown GPU "l40s"; known: h100, .*\); nothing written to .*none\.yaml\n$/,
    );
    await expect(readFile(output)).rejects.toThrow(/ENOENT/);
  }, 60_000);

  it("calibrate -o never writes over a file it reads, nor into a file named '-'; a folder that is not there is one line", async () => {
    const [points, catalogText] = await Promise.all([
      readFile(measured, "utf8"),
      readFile(catalog, "utf8"),
    ]);
    const nowhere = join(dir, "no-such-folder", "calib.yaml");
    const [named, inFolder, overCatalog, dash, missing] = await Promise.all([
      runCli(["sim", "calibrate", measured, "--catalog", catalog, "-o", measured]),
      runCli(["sim", "calibrate", dir, "--catalog", catalog, "-o", measured]),
      runCli(["sim", "calibrate", measured, "--catalog", catalog, "-o", catalog]),
      runCli(["sim", "calibrate", measured, "--catalog", catalog, "-o", "-"], { cwd: dir }),
      runCli(["sim", "calibrate", measured, "--catalog", catalog, "-o", nowhere]),
    ]);
    // the factors replaced the measured points (or the catalog) it had just read
    for (const [r, input] of [
      [named, measured],
      [inFolder, measured],
      [overCatalog, catalog],
    ] as const)
      expect([r.code, r.stdout, r.stderr]).toEqual([
        2,
        "",
        `infermark: -o ${input}: is an input of the calibration (${input}), which the factors would replace: write them to another file\n`,
      ]);
    expect([await readFile(measured, "utf8"), await readFile(catalog, "utf8")]).toEqual([
      points,
      catalogText,
    ]);
    expect([dash.code, dash.stdout, dash.stderr]).toEqual([
      2,
      "",
      "infermark: -o -: the factors are written to a file (YAML, or JSON by extension): give its name; --json prints the result\n",
    ]);
    await expect(readFile(join(dir, "-"))).rejects.toThrow(/ENOENT/);
    // it was Node's "ENOENT: no such file or directory, open '...'"
    expect([missing.code, missing.stderr]).toEqual([
      1,
      `infermark: ${nowhere}: the folder ${join(dir, "no-such-folder")} does not exist\n`,
    ]);
  }, 60_000);
});
