import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PointResult } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { DEFAULT_EFFICIENCY, predictSweep, resolveSimConfig, steadyState } from "../src/index.js";
import { calibrate, isHoldout, onPlatforms } from "../src/validate/calibrate.js";
import { readValidationFiles } from "../src/validate/read-files.js";
import {
  caseFromInferencexRow,
  caseFromPointResult,
  type ValidationCase,
} from "../src/validate/read-rows.js";
import { validateCases } from "../src/validate/validate.js";

/** One InferenceX API row of an aggregated TP8 run (the metrics the validation reads). */
function row(model: string, conc: number, tpot: number) {
  return {
    hardware: "h200",
    framework: "vllm",
    model,
    precision: "fp8",
    spec_method: "none",
    disagg: false,
    is_multinode: false,
    prefill_tp: 8,
    prefill_ep: 1,
    prefill_dp_attention: false,
    prefill_num_workers: 0,
    decode_tp: 8,
    decode_ep: 1,
    decode_dp_attention: false,
    decode_num_workers: 0,
    num_prefill_gpu: 8,
    num_decode_gpu: 8,
    isl: 1024,
    osl: 1024,
    conc,
    date: "2026-05-01",
    run_url: "https://github.com/SemiAnalysisAI/InferenceX/actions/runs/1",
    metrics: {
      tput_per_gpu: (conc * 2 * 0.9 * 1024) / (1024 * 0.9 * tpot) / 8,
      median_intvty: 1 / tpot,
      median_tpot: tpot,
      median_ttft: 0.1,
      median_e2el: 0.1 + 921 * tpot,
    },
  };
}

function asCase(x: ReturnType<typeof caseFromInferencexRow>): ValidationCase {
  if (!("options" in x)) throw new Error(`skipped: ${x.reason}`);
  return x;
}

describe("sim validate: cases and curves", () => {
  it("predicts each model's points with that model, in groups of their own", () => {
    const dsr1 = asCase(caseFromInferencexRow(row("dsr1", 16, 0.02)));
    const llama = asCase(caseFromInferencexRow(row("llama70b", 16, 0.02)));
    expect(dsr1.group).not.toBe(llama.group);
    expect(dsr1.group.startsWith("dsr1 ")).toBe(true);

    const together = validateCases([dsr1, llama]);
    const alone = (c: ValidationCase) => validateCases([c]).results[0]!.atConcurrency.intvty;
    expect(together.groups.map((g) => g.group).sort()).toEqual([dsr1.group, llama.group].sort());
    const byModel = (m: string) =>
      together.results.find((r) => r.case.options.model === m)!.atConcurrency.intvty;
    expect(byModel("dsr1")).toBeCloseTo(alone(dsr1), 9);
    expect(byModel("llama70b")).toBeCloseTo(alone(llama), 9);
    // a 70B dense model at batch 16 on 8 GPUs reads far fewer bytes per step than DeepSeek-R1
    expect(byModel("llama70b")).not.toBeCloseTo(byModel("dsr1"), 0);
  });

  it("predicts the points of one curve apart when their MTP depth differs, and keeps the curve on one side of the hold-out split", () => {
    const { points } = predictSweep(
      { model: "dsr1", hardware: "h200", tp: 8 },
      { isl: 1024, osl: 256, concurrency: [64], requests: 64 },
    );
    const at = (draftTokens: number): ValidationCase => {
      const p = structuredClone(points[0]!) as PointResult;
      p.config.specDecoding = { method: "mtp", draftTokens };
      return asCase(caseFromPointResult(p));
    };
    const [one, three] = [at(1), at(3)];
    expect(one.curveKey).toBe(three.curveKey);
    expect(one.configKey).not.toBe(three.configKey);
    expect(isHoldout(one)).toBe(isHoldout(three));
    const rep = validateCases([three, one]);
    const intvty = (d: number) =>
      rep.results.find((r) => r.case.options.spec?.draftTokens === d)!.atConcurrency.intvty;
    expect(intvty(1)).toBeCloseTo(validateCases([one]).results[0]!.atConcurrency.intvty, 9);
    expect(intvty(3)).toBeGreaterThan(intvty(1));
  });

  it("calibrates the default factors back from points the defaults predict exactly (its fixed grid did not hold them)", () => {
    let n = 0;
    const cases = [4, 16, 64].map((conc) => {
      const c = asCase(caseFromInferencexRow(row("dsr1", conc, 0.02)));
      let x: ValidationCase;
      do x = { ...c, curveKey: `dsr1 h200 own curve ${n++}` };
      while (isHoldout(x));
      const s = steadyState(resolveSimConfig(x.options), x.meanIsl, x.meanOsl, conc);
      return { ...x, measured: { tputPerGpu: s.tputPerGpu, intvty: s.intvty } };
    });
    const { factors } = calibrate(cases);
    const { memory, compute, layerOverheadUs, stepOverheadUs } = DEFAULT_EFFICIENCY;
    expect(factors["h200/vllm"]).toEqual({ memory, compute, layerOverheadUs, stepOverheadUs });
  });

  it("calibrates a dense model on MI300X around the factors it runs, which the CDNA3 platform factor leaves unscaled (its grid stopped at memory 0.66)", () => {
    let n = 0;
    const cases = [4, 16, 64].map((conc) => {
      const c = asCase(
        caseFromInferencexRow({ ...row("llama70b", conc, 0.02), hardware: "mi300x" }),
      );
      let x: ValidationCase;
      do x = { ...c, curveKey: `llama70b mi300x own curve ${n++}` };
      while (isHoldout(x));
      const s = steadyState(resolveSimConfig(x.options), x.meanIsl, x.meanOsl, conc);
      return { ...x, measured: { tputPerGpu: s.tputPerGpu, intvty: s.intvty } };
    });
    const { factors } = calibrate(cases);
    const { memory, compute, layerOverheadUs, stepOverheadUs } = DEFAULT_EFFICIENCY;
    expect(factors["mi300x/vllm"]).toEqual({ memory, compute, layerOverheadUs, stepOverheadUs });
    // candidate defaults, as tune-defaults.ts passes them, run unscaled there too
    expect(onPlatforms(cases, DEFAULT_EFFICIENCY)["mi300x/vllm"]).toEqual(DEFAULT_EFFICIENCY);
  });

  it("keys calibrated factors by the GPU as predictions resolve it, so a file's upper-case hardware is calibrated (H200/vllm was never used)", () => {
    // points of a PointResult-style hardware name, all on the training side of the split
    let n = 0;
    const onTrainingSide = (conc: number) => {
      const c = asCase(caseFromInferencexRow(row("dsr1", conc, 0.02)));
      let x: ValidationCase;
      do {
        x = { ...c, hardware: "H200", curveKey: `dsr1 H200 curve ${n++}` };
      } while (isHoldout(x));
      return x;
    };
    const cases = [16, 64].map(onTrainingSide);
    const { factors } = calibrate(cases);
    expect(Object.keys(factors)).toEqual(["h200/vllm"]);
    const report = validateCases(cases, [], { calibration: factors });
    expect(report.uncalibrated?.keys).toEqual([]);
  });

  it("calibrates no factors for a pair none of whose training points resolve, and names it with the reason (it had {})", () => {
    // measured points of a GPU the catalog lacks, on the training side of the split
    const onL40s = [16, 64].map((conc) => {
      const c = asCase(caseFromInferencexRow(row("dsr1", conc, 0.02)));
      return {
        ...c,
        hardware: "l40s",
        curveKey: "dsr1 l40s",
        options: { ...c.options, hardware: "l40s" },
      };
    });
    expect(onL40s.map(isHoldout)).toEqual([false, false]);
    const result = calibrate(onL40s);
    expect([result.factors, result.perPair, result.unfitted]).toEqual([
      {},
      [],
      [
        {
          pair: "l40s/vllm",
          train: 2,
          reasons: [
            'unknown GPU "l40s"; known: h100, h200, b200, b300, gb200, gb300, mi300x, mi325x, mi355x',
          ],
        },
      ],
    ]);
  });

  it("finds the simulator's own predictions close to its steady state", () => {
    // PointResults of the event engine validated by the mean-field steady state: two models of one engine
    const { points } = predictSweep(
      { model: "dsr1", hardware: "h200", tp: 8 },
      { isl: 1024, osl: 512, concurrency: [2, 8, 32, 128] },
    );
    const rep = validateCases(points.map((p) => asCase(caseFromPointResult(p))));
    expect(rep.points).toBe(4);
    expect(rep.mdapeAtConcurrency).toBeLessThan(0.15);
    expect(rep.mdapeIntvtyAtConcurrency).toBeLessThan(0.15);
    expect(rep.mdape).toBeLessThan(0.25);
  });

  it("reads PointResults, InferenceX API rows and flat agg_bmk rows from a folder, and skips simulated and invalid points", () => {
    const dir = mkdtempSync(join(tmpdir(), "infermark-validate-"));
    try {
      const [p] = predictSweep(
        { model: "dsr1", hardware: "h200", tp: 8 },
        { isl: 1024, osl: 256, concurrency: [8], requests: 16 },
      ).points;
      const measured = { ...structuredClone(p!), run: { ...p!.run, source: "measured" as const } };
      const invalid = structuredClone(measured);
      invalid.validity = { valid: false, reasons: ["error rate 9% > 5%"] };
      writeFileSync(join(dir, "simulated.json"), JSON.stringify(p));
      writeFileSync(
        join(dir, "points.jsonl"),
        `${JSON.stringify(measured)}\n${JSON.stringify(invalid)}\n`,
      );
      writeFileSync(
        join(dir, "api.json"),
        JSON.stringify([row("dsr1", 4, 0.012), row("dsr1", 64, 0.03)]),
      );
      const r = row("dsr1", 16, 0.02);
      const { hardware, metrics, ...rest } = r;
      writeFileSync(
        join(dir, "agg_bmk.json"),
        JSON.stringify({ ...rest, hw: hardware, ...metrics }),
      );
      writeFileSync(join(dir, "notes.txt"), "not read");

      const { cases, skipped } = readValidationFiles([dir]);
      expect(cases.map((c) => c.concurrency).sort((a, b) => a - b)).toEqual([4, 8, 16, 64]);
      expect(skipped.map((s) => s.reason).sort()).toEqual([
        "a point its run marked invalid",
        "a simulated point (validation compares with measurements)",
      ]);
      const rep = validateCases(cases, skipped);
      expect(rep.points).toBe(4);
      expect(rep.skipped).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says where a file is malformed, line and column, without quoting its text", () => {
    // before, V8's message was given: `Unexpected token 's', "{"key": sk-live-12"... is not valid JSON`
    const dir = mkdtempSync(join(tmpdir(), "infermark-validate-"));
    const failure = (path: string) => {
      try {
        readValidationFiles([path]);
      } catch (error) {
        return (error as Error).message;
      }
      return "read";
    };
    try {
      const json = join(dir, "points.json");
      writeFileSync(json, '{\n"key": sk-live-1234567890abcdef}');
      expect(failure(json)).toBe(
        `${json}: malformed JSON (Unexpected token in JSON at position 9; line 2, column 8)`,
      );
      const jsonl = join(dir, "points.jsonl");
      writeFileSync(jsonl, '{"a": 1}\n\n{"key": sk-live-1234567890abcdef}\n');
      expect(failure(jsonl)).toBe(
        `${jsonl}: malformed JSON (Unexpected token in JSON at position 8; line 3, column 9)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
