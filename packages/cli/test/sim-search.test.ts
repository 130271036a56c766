import type { SearchResult } from "@infermark/sim";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

/** `sim search` of DeepSeek-R1 on 8 H200 at 1k/1k, with and without two MTP draft tokens. */
const SEARCH = [
  "sim",
  "search",
  "--model",
  "dsr1",
  "--hardware",
  "h200",
  "--gpus",
  "8",
  "--isl",
  "1024",
  "--osl",
  "1024",
  "--mtp-draft-tokens",
  "0,2",
  "--top",
  "2",
];

describe("infermark sim search", () => {
  it("ranks the layouts with SGLang's FP8 GEMMs without DeepGEMM under --fp8-gemm fallback (the flag was read by predict alone)", async () => {
    const b200 = [...SEARCH.slice(0, 5), "b200", ...SEARCH.slice(6, 9), "8192", "--osl", "1024"];
    const search = (...flags: string[]) =>
      runCli([...b200, "--at", "50", "--top", "1", "--framework", "sglang", ...flags], {
        timeoutMs: 60_000,
      });
    const [deepgemm, fallback] = await Promise.all([search(), search("--fp8-gemm", "fallback")]);
    expect([deepgemm.code, fallback.code]).toEqual([0, 0]);
    const best = (r: { stdout: string }) => r.stdout.split("\n")[3]!.split(/\s+/);
    expect(best(deepgemm)).toEqual(["1x(tp8/dpa)", "0", "8", "1708.7", "30.5"]);
    expect(best(fallback)).toEqual(["1x(tp8/dpa)", "0", "8", "1082.2", "19.5"]);
  });

  it("prints the best layouts per target, what was tried and skipped, and a target no layout reaches", async () => {
    const r = await runCli([...SEARCH, "--at", "50,5000"], { timeoutMs: 60_000 });
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("at 50 tokens/s/user: 8 of 8 predicted layouts reach it; the best 2:");
    expect(lines[1]).toMatch(/^layout\s+mtp\s+gpus\s+tput\/GPU\s+concurrency$/);
    expect(lines[3]!.split(/\s+/)).toEqual(["1x(tp8/dpa)", "2", "8", "644.4", "51.7"]);
    expect(lines[4]!.split(/\s+/)).toEqual(["1x(tp8/ep8/dpa)", "2", "8", "639.4", "51.3"]);
    expect(lines.slice(6)).toEqual([
      "at 5000 tokens/s/user: no layout reaches it (every predicted layout is slower at batch 1)",
      "",
      "26 layouts tried, 8 predicted, 18 skipped:",
      "  skipped 18 x weights + KV cache of one request do not fit in GPU memory",
    ]);
  });

  it("prints the same ranking as JSON with --json", async () => {
    const r = await runCli([...SEARCH, "--at", "50,5000", "--json"], { timeoutMs: 60_000 });
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const result = JSON.parse(r.stdout) as SearchResult;
    expect([result.tried, result.predicted, result.skipped.length]).toEqual([26, 8, 18]);
    expect(result.targets.map((t) => [t.intvty, t.reached, t.best.length])).toEqual([
      [50, 8, 2],
      [5000, 0, 0],
    ]);
    const best = result.targets[0]!.best[0]!;
    expect([best.label, best.mtpDraftTokens, best.gpus, best.tputPerGpu.toFixed(1)]).toEqual([
      "1x(tp8/dpa)",
      2,
      8,
      "644.4",
    ]);
    expect(best.layout).toEqual({ gpus: 8, tp: 8, workers: 1, dpAttention: true });
  });

  it.each([
    [
      ["--at", "fast"],
      `error: option '--at <list>' argument 'fast' is invalid. --at expects a comma-separated list of positive numbers, got "fast" (run with --help for usage)`,
    ],
    [
      ["--at", "50", "--mtp-draft-tokens", "0,-1"],
      `error: option '--mtp-draft-tokens <list>' argument '0,-1' is invalid. --mtp-draft-tokens expects a comma-separated list of integers >= 0, got "0,-1" (run with --help for usage)`,
    ],
    [["--at", "50,50"], "infermark: --at gives 50 twice: give each level once"],
  ])("refuses %j with one line naming the flag, exit 2", async (flags, message) => {
    const r = await runCli([...SEARCH.slice(0, -4), ...flags], { timeoutMs: 60_000 });
    expect([r.code, r.stdout, r.stderr]).toEqual([2, "", `${message}\n`]);
  });

  it("refuses MTP depths for a model without MTP layers as a flag error", async () => {
    const args = [...SEARCH.slice(0, -4), "--at", "50", "--mtp-draft-tokens", "0,1"];
    args[3] = "llama70b";
    const r = await runCli(args, { timeoutMs: 60_000 });
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toBe(
      "infermark: --mtp-draft-tokens: llama70b has no multi-token-prediction (MTP) layers to draft with (num_nextn_predict_layers in a config.json, mtpParamsB in a catalog entry; DeepSeek-V3/R1 have one): give 0 or leave the flag out for this model\n",
    );
  });

  it("ranks no DP attention layout for a dense model: engines run DP attention for MoE models only", async () => {
    const args = [...SEARCH.slice(0, -4), "--at", "50"];
    args[3] = "llama70b";
    const r = await runCli(args, { timeoutMs: 60_000 });
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("at 50 tokens/s/user: 3 of 4 predicted layouts reach it; the best 3:");
    expect(lines.slice(3, 6).map((l) => l.split(/\s+/)[0])).toEqual([
      "2x(tp4)",
      "4x(tp2)",
      "1x(tp8)",
    ]);
    expect(lines.at(-1)).toBe("4 layouts tried, 4 predicted, 0 skipped");
  });

  it("says that no layout fits, with the reasons counted, exit 2, when every layout is skipped", async () => {
    // DeepSeek-R1 at FP8 needs eight H200s a worker: none of the 9 layouts of 4 fits
    const args = [...SEARCH.slice(0, -4), "--at", "20,50"];
    args[7] = "4";
    const [plain, json] = await Promise.all([
      runCli(args, { timeoutMs: 60_000 }),
      runCli([...args, "--json"], { timeoutMs: 60_000 }),
    ]);
    const message =
      "infermark: sim search: no layout of 4 GPUs fits: 9 layouts tried, 9 skipped (9 x weights + KV cache of one request do not fit in GPU memory; memory fraction 0.9 under sim: the share of the HBM left after the weights and a 2 GB reserve that the KV cache gets, as TensorRT-LLM's free_gpu_memory_fraction); give more --gpus, or a lower --precision or --kv-cache-dtype\n";
    expect([plain.code, plain.stdout, plain.stderr]).toEqual([2, "", message]);
    expect([json.code, json.stdout, json.stderr]).toEqual([2, "", message]);
  });

  it("says what the memory fraction meant when nothing fits under vLLM: its gpu_memory_utilization", async () => {
    const args = [...SEARCH.slice(0, -4), "--at", "20", "--framework", "vllm"];
    args[7] = "4";
    const r = await runCli(args, { timeoutMs: 60_000 });
    expect([r.code, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toBe(
      "infermark: sim search: no layout of 4 GPUs fits: 9 layouts tried, 9 skipped (9 x weights + KV cache of one request do not fit in GPU memory; memory fraction 0.9 under vllm: vLLM's gpu_memory_utilization: the share of all HBM for weights, activations and KV); give more --gpus, or a lower --precision or --kv-cache-dtype\n",
    );
  });

  describe("takes a launch script's --memory-fraction and --max-running, as sim predict does", () => {
    // DeepSeek-R1 FP8 on 4 B200 under SGLang: mem_fraction_static 0.9 leaves no KV room, the 0.95 of InferenceX's script does
    const B200 = [
      "sim",
      "search",
      "--model",
      "dsr1",
      "--hardware",
      "b200",
      "--gpus",
      "4",
      "--isl",
      "1024",
      "--osl",
      "1024",
      "--at",
      "50",
      "--framework",
      "sglang",
    ];

    it("finds layouts at --memory-fraction 0.95; at the default 0.9 names the fraction, its meaning and --memory-fraction", async () => {
      const [fits, none] = await Promise.all([
        runCli([...B200, "--memory-fraction", "0.95"], { timeoutMs: 60_000 }),
        runCli(B200, { timeoutMs: 60_000 }),
      ]);
      expect([fits.code, fits.stderr]).toEqual([0, ""]);
      const lines = fits.stdout.trimEnd().split("\n");
      expect(lines[0]).toBe("at 50 tokens/s/user: 2 of 2 predicted layouts reach it; the best 2:");
      expect(lines.slice(3, 5).map((l) => l.split(/\s+/)[0])).toEqual(["1x(tp4)", "1x(tp4/ep4)"]);
      expect([none.code, none.stdout]).toEqual([2, ""]);
      expect(none.stderr).toBe(
        "infermark: sim search: no layout of 4 GPUs fits: 9 layouts tried, 9 skipped (9 x weights + KV cache of one request do not fit in GPU memory; memory fraction 0.9 under sglang: SGLang's mem_fraction_static: the share of all HBM for weights and KV); give --memory-fraction 0.94 or higher (the lowest at which a layout fits; match your launch script), more --gpus, or a lower --precision or --kv-cache-dtype\n",
      );
    });

    it("says the fraction given when it is still too low", async () => {
      const r = await runCli([...B200, "--memory-fraction", "0.92"], { timeoutMs: 60_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("memory fraction 0.92 under sglang: SGLang's mem_fraction_static");
      expect(r.stderr).toContain("give --memory-fraction 0.94 or higher");
    });

    it("caps the running requests of every layout at --max-running", async () => {
      const [free, capped] = await Promise.all([
        runCli([...B200, "--memory-fraction", "0.95", "--json"], { timeoutMs: 60_000 }),
        runCli([...B200, "--memory-fraction", "0.95", "--max-running", "4", "--json"], {
          timeoutMs: 60_000,
        }),
      ]);
      expect([free.code, capped.code, capped.stderr]).toEqual([0, 0, ""]);
      const best = (stdout: string) => (JSON.parse(stdout) as SearchResult).targets[0]!.best;
      for (const b of best(capped.stdout)) expect(b.concurrency).toBeLessThanOrEqual(4);
      expect(best(free.stdout)[0]!.concurrency).toBeGreaterThan(4);
    });

    it.each([
      [
        "--memory-fraction",
        "1.5",
        '--memory-fraction expects a share of the HBM in (0, 1], got "1.5"',
      ],
      ["--max-running", "0", '--max-running expects a positive integer, got "0"'],
    ])("refuses %s %s as a flag error, as sim predict does", async (flag, value, text) => {
      const r = await runCli([...B200, flag, value], { timeoutMs: 60_000 });
      expect([r.code, r.stdout]).toEqual([2, ""]);
      expect(r.stderr).toContain(text);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    });
  });
});
