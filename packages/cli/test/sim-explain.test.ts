import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runCliInProcess, tempDir } from "./helpers.js";

interface Term {
  name: string;
  kind: string;
  seconds: number;
  detail: string;
}
interface Explained {
  batch: number;
  decode: { terms: Term[]; totalS: number; bound: string };
}

/** `sim explain` of DeepSeek-R1 on B200. */
const EXPLAIN = ["sim", "explain", "--model", "dsr1", "--hardware", "b200"];

const explain = async (...flags: string[]) => {
  const r = await runCli([...EXPLAIN, "--tp", "8", "--batch", "32", "--json", ...flags]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Explained;
};
const term = (e: Explained, name: string) => e.decode.terms.find((t) => t.name === name);

describe("infermark sim explain sizes KV and caps running requests as the --framework's engine does", () => {
  const GPTOSS = [
    "sim",
    "explain",
    "--model",
    "gptoss120b",
    "--hardware",
    "h200",
    "--precision",
    "fp4",
  ];
  const capacity = async (...flags: string[]) => {
    const r = await runCli([...GPTOSS, ...flags]);
    expect(r.stderr).toBe("");
    return /KV capacity (\d+) tokens per worker/.exec(r.stdout)?.[1];
  };

  it("gives gpt-oss-120b on one H200 0.9 x HBM less weights and activations under vLLM, less than TensorRT-LLM's rule", async () => {
    const [vllm, sglang, trt, given] = await Promise.all([
      capacity("--framework", "vllm"),
      capacity("--framework", "sglang"),
      capacity("--framework", "trt"),
      capacity("--framework", "vllm", "--memory-fraction", "0.95"),
    ]);
    // vLLM: 0.9 x 141 GB - 65.1 GB - 2 GB; SGLang: 0.9 x 141 GB - 65.1 GB; TensorRT-LLM: 0.9 x (141 - 2 - 65.1) GB
    expect([vllm, sglang, trt]).toEqual(["810524", "837651", "901591"]);
    expect(Number(given)).toBeGreaterThan(Number(vllm));
  }, 60_000);

  it("reads llm-d and dynamo-vllm as vLLM and tensorrt-llm as TensorRT-LLM, as the importer reads those labels", async () => {
    // llm-d was read as no engine: TensorRT-LLM's rule with FP8 KV, 1,803,182 tokens
    const [llmd, dynamo, tensorrt] = await Promise.all([
      capacity("--framework", "llm-d"),
      capacity("--framework", "dynamo-vllm"),
      capacity("--framework", "TensorRT-LLM"),
    ]);
    expect([llmd, dynamo, tensorrt]).toEqual(["810524", "810524", "901591"]);
  }, 60_000);

  it("says which rule refused a layout: vLLM's gpu_memory_utilization at 0.45 leaves gpt-oss no KV", async () => {
    const r = await runCli([...GPTOSS, "--framework", "vllm", "--memory-fraction", "0.45"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "infermark: gptoss120b at fp4 on mixed workers of tp 1 x pp 1 h200: weights 65.1 GB + KV for 1536 tokens 0.06 GB per GPU do not fit: " +
        "KV gets 0.45 x 141 GB (vLLM gpu_memory_utilization 0.45, a share of all HBM) less the weights and a 2 GB reserve for activations = -3.69 GB; " +
        "use more GPUs per worker (tp/pp), a lower precision or a higher --memory-fraction\n",
    );
  }, 60_000);

  it("takes SGLang's running-request cap (4,096) where the default was 1,024, and --max-running wins", async () => {
    const LLAMA = [
      "sim",
      "explain",
      "--model",
      "llama70b",
      "--hardware",
      "h200",
      "--tp",
      "8",
      "--batch",
      "1500",
    ];
    const [sglang, sim, capped] = await Promise.all([
      runCli([...LLAMA, "--framework", "sglang"]),
      runCli(LLAMA),
      runCli([...LLAMA, "--framework", "sglang", "--max-running", "128"]),
    ]);
    expect(sglang.stderr).toBe("");
    expect(sglang.code).toBe(0);
    expect(sim.stderr).toBe(
      "infermark: a batch of 1500 requests exceeds the 1024 running requests of a worker (engine limit maxRunningRequests)\n",
    );
    expect(capped.stderr).toBe(
      "infermark: a batch of 1500 requests exceeds the 128 running requests of a worker (engine limit maxRunningRequests)\n",
    );
  }, 60_000);
});

describe("infermark sim explain", () => {
  it("breaks a decode step into terms that add up to the step, with SGLang's draft-extend pass", async () => {
    const [plain, sglang, passes] = await Promise.all([
      explain(),
      explain("--framework", "sglang", "--mtp-draft-tokens", "2"),
      explain("--framework", "sglang", "--mtp-draft-tokens", "2", "--mtp-draft-passes", "2"),
    ]);
    expect(plain.batch).toBe(32);
    expect(term(plain, "draft")?.seconds ?? 0).toBe(0);
    // every term but the max() of compute and memory adds: the step is at least the sum of comm,
    // overhead and draft, and at most the sum of all terms
    for (const e of [plain, sglang, passes]) {
      const sum = e.decode.terms.reduce((s, t) => s + t.seconds, 0);
      expect(e.decode.totalS).toBeGreaterThan(0);
      expect(e.decode.totalS).toBeLessThanOrEqual(sum * (1 + 1e-9));
      expect(["compute", "memory", "comm", "overhead"]).toContain(e.decode.bound);
    }
    expect(term(sglang, "draft")?.detail).toBe("3 draft passes for 2 draft tokens");
    expect(term(passes, "draft")?.detail).toBe("2 draft passes for 2 draft tokens");
    // the target step is the same; the draft cost is per pass
    expect(term(sglang, "draft")!.seconds / term(passes, "draft")!.seconds).toBeCloseTo(1.5, 9);
  }, 60_000);

  it("refuses a port that is not one, naming the flag (sim serve passed NaN to Node)", async () => {
    const r = await runCli([
      "sim",
      "serve",
      "--model",
      "dsr1",
      "--hardware",
      "h200",
      "--tp",
      "8",
      "--port",
      "abc",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port expects 0-65535, got "abc"');
  }, 60_000);

  it("refuses a draft-pass count that is not a positive integer, naming the flag", async () => {
    const r = await runCli([...EXPLAIN, "--mtp-draft-tokens", "2", "--mtp-draft-passes", "0"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    // one line: the flag, what it expects, what it got, and the hint
    expect(r.stderr).toBe(
      "error: option '--mtp-draft-passes <n>' argument '0' is invalid. --mtp-draft-passes expects a positive integer, got \"0\" (run with --help for usage)\n",
    );
  }, 60_000);

  it("refuses a layout whose weights do not fit, with the numbers (it printed a negative KV capacity)", async () => {
    const r = await runCli([
      "sim",
      "explain",
      "--model",
      "dsr1",
      "--hardware",
      "h100",
      "--tp",
      "8",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "infermark: dsr1 at fp8 on mixed workers of tp 8 x pp 1 h100: weights 84.1 GB + KV for 1536 tokens 0.05 GB per GPU do not fit: KV gets 0.9 x (80 GB - 2 GB reserve - the weights) (memory fraction 0.9 of what the weights leave, as TensorRT-LLM's free_gpu_memory_fraction) = -5.49 GB; use more GPUs per worker (tp/pp), a lower precision or a higher --memory-fraction\n",
    );
  }, 60_000);

  it("refuses flags the layout would ignore: a pool flag without --disagg, MTP settings without draft tokens", async () => {
    const [pool, acceptance, passes] = await Promise.all([
      runCli([...EXPLAIN, "--tp", "8", "--decode-tp", "4"]),
      runCli([...EXPLAIN, "--tp", "8", "--acceptance", "1.7"]),
      runCli([...EXPLAIN, "--tp", "8", "--mtp-draft-passes", "2"]),
    ]);
    expect([pool.code, pool.stdout, pool.stderr]).toEqual([
      2,
      "",
      "infermark: --decode-tp sets a pool of disaggregated serving: add --disagg\n",
    ]);
    expect([acceptance.code, acceptance.stderr]).toEqual([
      2,
      "infermark: --acceptance needs --mtp-draft-tokens\n",
    ]);
    expect([passes.code, passes.stderr]).toEqual([
      2,
      "infermark: --mtp-draft-passes needs --mtp-draft-tokens\n",
    ]);
  }, 60_000);

  it("applies --gpus, --ep, --pp and --dp-attention to both pools of --disagg (they were dropped)", async () => {
    const DISAGG = [...EXPLAIN, "--disagg", "--tp", "8", "--json"];
    const [gpus, plain, shared] = await Promise.all([
      runCli([...DISAGG, "--gpus", "8"]),
      runCli(DISAGG),
      runCli([...DISAGG, "--ep", "8", "--pp", "2", "--dp-attention"]),
    ]);
    expect([gpus.code, gpus.stderr]).toEqual([
      1,
      "infermark: gpus 8 does not match the layout, which uses 16 GPUs\n",
    ]);
    const p = JSON.parse(plain.stdout) as Explained & { memory: { weightsGbPerGpu: number } };
    const s = JSON.parse(shared.stdout) as typeof p;
    expect(term(s, "all-to-all")?.detail).toBe("EP 8");
    expect(term(s, "all-reduce")?.detail).toBe("attention TP 1 + 1 pipeline hand-off");
    // two pipeline stages hold half the layers each; DP attention replicates the attention weights
    expect(s.memory.weightsGbPerGpu).toBeLessThan(p.memory.weightsGbPerGpu * 0.6);
  }, 60_000);

  it("refuses --mtp-draft-tokens for a model without MTP layers, naming the flag and the model (it ran)", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      // DeepSeek-V3's config.json, with its one MTP layer and with none (as Kimi K2, of the same architecture)
      const v3 = {
        num_hidden_layers: 61,
        hidden_size: 7168,
        num_attention_heads: 128,
        vocab_size: 129280,
        q_lora_rank: 1536,
        kv_lora_rank: 512,
        qk_rope_head_dim: 64,
        qk_nope_head_dim: 128,
        v_head_dim: 128,
        n_routed_experts: 256,
        num_experts_per_tok: 8,
        n_shared_experts: 1,
        moe_intermediate_size: 2048,
        intermediate_size: 18432,
        first_k_dense_replace: 3,
        num_nextn_predict_layers: 1,
      };
      const withMtp = join(dir, "DeepSeek-V3", "config.json");
      const without = join(dir, "no-mtp", "config.json");
      await Promise.all([mkdir(join(dir, "DeepSeek-V3")), mkdir(join(dir, "no-mtp"))]);
      await writeFile(withMtp, JSON.stringify(v3));
      await writeFile(without, JSON.stringify({ ...v3, num_nextn_predict_layers: 0 }));
      const mtp = ["--tp", "8", "--mtp-draft-tokens", "2"];
      const lack =
        "has no multi-token-prediction (MTP) layers to draft with (num_nextn_predict_layers in a config.json, mtpParamsB in a catalog entry; DeepSeek-V3/R1 have one): leave the flag out for this model, or give --spec-method draft for a separate draft model";
      const llama = await runCliInProcess([
        ...["sim", "explain", "--model", "llama70b", "--hardware", "h200"],
        ...mtp,
      ]);
      expect([llama.code, llama.stdout, llama.stderr]).toEqual([
        2,
        "",
        `infermark: --mtp-draft-tokens: llama70b ${lack}\n`,
      ]);
      const file = await runCliInProcess([...EXPLAIN, "--model", without, ...mtp]);
      expect([file.code, file.stderr]).toEqual([
        2,
        `infermark: --mtp-draft-tokens: no-mtp (${without}) ${lack}\n`,
      ]);
      const predict = await runCliInProcess([
        ...["sim", "predict", "--model", "gptoss120b", "--hardware", "b200", "--tp", "1"],
        ...["--isl", "64", "--osl", "8", "--mtp-draft-tokens", "1"],
      ]);
      expect([predict.code, predict.stderr]).toEqual([
        2,
        `infermark: --mtp-draft-tokens: gptoss120b ${lack}\n`,
      ]);
      // a separate draft model (EAGLE heads) suits any model; the flag means nothing without draft tokens
      const eagle = await runCliInProcess([
        ...["sim", "explain", "--model", "llama70b", "--hardware", "h200"],
        ...mtp,
        ...["--spec-method", "draft", "--json"],
      ]);
      expect([eagle.code, eagle.stderr]).toEqual([0, ""]);
      expect(term(JSON.parse(eagle.stdout) as Explained, "draft")?.detail).toBe(
        "2 draft passes for 2 draft tokens",
      );
      const alone = await runCliInProcess([...EXPLAIN, "--spec-method", "draft"]);
      expect([alone.code, alone.stderr]).toEqual([
        2,
        "infermark: --spec-method needs --mtp-draft-tokens\n",
      ]);
      // DeepSeek-V3's one MTP layer drafts two tokens, one pass each, as the catalog's DeepSeek-R1 does
      const ok = await runCliInProcess([...EXPLAIN, "--model", withMtp, ...mtp, "--json"]);
      expect([ok.code, ok.stderr]).toEqual([0, ""]);
      const draft = term(JSON.parse(ok.stdout) as Explained, "draft");
      expect(draft?.detail).toBe("2 draft passes for 2 draft tokens");
      expect(draft?.seconds).toBeGreaterThan(0);
    } finally {
      await cleanup();
    }
  }, 60_000);
});
