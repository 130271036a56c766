import { describe, expect, it } from "vitest";
import { type Catalog, DEFAULT_CATALOG } from "../catalog/catalog.js";
import { fromInferencexAggRow } from "./agg-row.js";
import { fromInferencexApiRow } from "./api-row.js";
import { inferencexModelKey } from "./model-key.js";
import { normalizeHardware, unknownHardware } from "./normalize.js";

// Rows as InferenceX's current writer (utils/process_result.py, SemiAnalysisAI/InferenceX 843c6254f, 2026-08) builds
// them: `hw` is the job's runner label (`cluster:b300-nv` since the cluster runner pools), single-node rows carry
// tp/pp/dcp_size/pcp_size/ep/dp_attention and serve on tp x pp x pcp_size GPUs; multinode rows carry prefill_* and
// decode_* of each (pp, dcp_size, pcp_size too), and an aggregated multinode run has no decode side (0 GPUs, tp 0).
// Values are made up; field names, types and the derived per-GPU figures follow the writer.

/** A single-node vLLM row on a B300 cluster runner, TP4 x PP2. */
const SINGLE = {
  hw: "cluster:b300-nv",
  conc: 64,
  image: "vllm/vllm-openai:v0.19.0",
  model: "deepseek-ai/DeepSeek-R1-0528",
  infmax_model_prefix: "dsr1",
  framework: "vllm",
  precision: "fp4",
  spec_decoding: "mtp",
  disagg: false,
  recipe_fingerprint: "3f9a0c1d2e4b5a6c",
  isl: 8192,
  osl: 1024,
  is_multinode: false,
  tp: 4,
  pp: 2,
  dcp_size: 1,
  pcp_size: 1,
  ep: 1,
  dp_attention: "false",
  tput_per_gpu: 900,
  output_tput_per_gpu: 100,
  input_tput_per_gpu: 800,
  median_ttft: 0.8,
  median_tpot: 0.02,
  median_intvty: 50,
};

/** An aggregated multinode run (no disaggregation): 16 GB200 GPUs as one TP8 x PP2 worker, no decode side. */
const MULTINODE_AGG = {
  hw: "gb200",
  conc: 16,
  image: "vllm/vllm-openai:nightly",
  model: "deepseek-ai/DeepSeek-R1-0528",
  infmax_model_prefix: "dsr1",
  framework: "dynamo-vllm",
  precision: "fp4",
  spec_decoding: "mtp",
  disagg: false,
  recipe_fingerprint: "",
  isl: 1024,
  osl: 1024,
  is_multinode: true,
  prefill_tp: 8,
  prefill_pp: 2,
  prefill_dcp_size: 8,
  prefill_pcp_size: 1,
  prefill_ep: 1,
  prefill_dp_attention: "false",
  prefill_num_workers: 1,
  decode_tp: 0,
  decode_pp: 1,
  decode_dcp_size: 1,
  decode_pcp_size: 1,
  decode_ep: 0,
  decode_dp_attention: "false",
  decode_num_workers: 0,
  num_prefill_gpu: 16,
  num_decode_gpu: 0,
  tput_per_gpu: 400,
  output_tput_per_gpu: 200,
  input_tput_per_gpu: 200,
  median_intvty: 120,
};

/** A disaggregated GB300 run (1 prefill worker TP4, 1 decode worker TP8) with whole-deployment power (schema v2). */
const DISAGG_POWER = {
  ...MULTINODE_AGG,
  hw: "cluster:gb300-nv",
  framework: "dynamo-trt",
  disagg: true,
  kv_p2p_transfer: "nixl",
  router: { name: "dynamo-router", version: "0.9.0" },
  prefill_tp: 4,
  prefill_pp: 1,
  prefill_dcp_size: 1,
  prefill_ep: 4,
  prefill_dp_attention: "true",
  decode_tp: 8,
  decode_ep: 8,
  decode_dp_attention: "true",
  decode_num_workers: 1,
  num_prefill_gpu: 4,
  num_decode_gpu: 8,
  power_metric_schema_version: 2,
  power_valid: 1,
  avg_power_w: 900.5,
  avg_total_gpu_power_w: 10806,
  total_gpu_energy_j: 1080600,
  joules_per_successful_query: 540.3,
  joules_per_input_token: 0.5,
  joules_per_output_token: 4,
  joules_per_total_token: 0.444444,
  prefill_gpu_energy_j: 300000,
  decode_gpu_energy_j: 780600,
  prefill_avg_power_w: 750,
  decode_avg_power_w: 975.75,
  prefill_joules_per_input_token: 0.138815,
  decode_joules_per_output_token: 2.890681,
};

const reason = (row: unknown) => {
  const r = fromInferencexAggRow(row, { date: "2026-08-20" });
  return r.ok ? "ok" : r.reason;
};

describe("InferenceX's current agg rows", () => {
  it("reads a cluster runner label (cluster:b300-nv) as its GPU, and names the GPU of an unknown one", () => {
    expect(
      ["cluster:b300-nv", "cluster:gb300-nv", "CLUSTER:mi355x-amds"].map((l) =>
        normalizeHardware(l),
      ),
    ).toEqual(["b300", "gb300", "mi355x"]);
    expect(normalizeHardware("cluster:rtx6000pro-lat")).toBeUndefined();
    expect(unknownHardware("cluster:rtx6000pro-lat")).toMatch(
      /^unknown hardware "cluster:rtx6000pro-lat": the catalog has no GPU "rtx6000pro";/,
    );
  });

  it("serves a single-node row on tp x pp x pcp_size GPUs, with its pipeline stages", () => {
    const r = fromInferencexAggRow(SINGLE, { date: "2026-08-20" });
    if (!r.ok) throw new Error(r.reason);
    expect([r.point.config.hardware, r.point.config.hardwareLabel]).toEqual([
      "b300",
      "cluster:b300-nv",
    ]);
    const pool = { tp: 4, ep: 1, pp: 2, dpAttention: false, workers: 1, gpus: 8 };
    expect(r.point.config.topology).toEqual({
      disaggregated: false,
      multinode: false,
      gpus: 8,
      prefillGpus: 8,
      decodeGpus: 8,
      prefill: pool,
      decode: pool,
    });
    const pcp = fromInferencexAggRow(
      { ...SINGLE, pp: 1, pcp_size: 2, dcp_size: 4 },
      { date: "2026-08-20" },
    );
    expect(pcp.ok && pcp.point.config.topology.gpus).toBe(8);
    expect(pcp.ok && pcp.point.extra).toEqual({ inferencex: { dcp_size: 4, pcp_size: 2 } });
  });

  it("reads an aggregated multinode row (no decode side: 0 GPUs, tp 0) as one pool on the prefill side's GPUs", () => {
    const r = fromInferencexAggRow(MULTINODE_AGG, { date: "2026-08-20" });
    if (!r.ok) throw new Error(r.reason);
    const pool = { tp: 8, ep: 1, pp: 2, dpAttention: false, workers: 1, gpus: 16 };
    expect(r.point.config.topology).toEqual({
      disaggregated: false,
      multinode: true,
      gpus: 16,
      prefillGpus: 16,
      decodeGpus: 16,
      prefill: pool,
      decode: pool,
    });
    expect(r.point.extra).toEqual({ inferencex: { prefill_dcp_size: 8 } });
    // a disaggregated row without decode GPUs is still refused
    expect(reason({ ...MULTINODE_AGG, disagg: true })).toBe("no decode GPU count (num_decode_gpu)");
  });

  it("takes a disaggregated row's energy per input and output token from its roles (schema v2: unprefixed is whole-deployment)", () => {
    const r = fromInferencexAggRow(DISAGG_POWER, { date: "2026-08-20" });
    if (!r.ok) throw new Error(r.reason);
    expect(r.point.config.hardware).toBe("gb300");
    expect(r.point.config.topology).toMatchObject({ gpus: 12, prefillGpus: 4, decodeGpus: 8 });
    expect(r.point.config.topology.decode).toMatchObject({ tp: 8, ep: 8, workers: 1, gpus: 8 });
    expect(r.point.energy).toEqual({
      kind: "reported",
      avgPowerW: 900.5,
      jPerTotalToken: 0.444444,
      jPerInputToken: 0.138815,
      jPerOutputToken: 2.890681,
      valid: true,
      reasons: [],
    });
    // without role figures, v2's whole-deployment per-input and per-output joules are left out, not taken as a role's
    const {
      prefill_joules_per_input_token: _p,
      decode_joules_per_output_token: _d,
      ...wholeOnly
    } = DISAGG_POWER;
    const w = fromInferencexAggRow(wholeOnly, { date: "2026-08-20" });
    expect(w.ok && w.point.energy).toEqual({
      kind: "reported",
      avgPowerW: 900.5,
      jPerTotalToken: 0.444444,
      valid: true,
      reasons: [],
    });
    expect(r.point.extra).toEqual({
      inferencex: { kv_p2p_transfer: "nixl", router: { name: "dynamo-router", version: "0.9.0" } },
    });
  });

  it("skips rows it cannot represent, saying why", () => {
    expect(reason({ ...DISAGG_POWER, prefill_hw: "b200", decode_hw: "h100" })).toBe(
      'heterogeneous hardware (prefill on "b200", decode on "h100"): a point has one GPU type',
    );
    // the same GPU on both sides is no obstacle
    expect(reason({ ...DISAGG_POWER, prefill_hw: "gb300", decode_hw: "gb300" })).toBe("ok");
    // AgentX rows share agg_bmk.json with the fixed-sequence ones
    const agentx = {
      ...SINGLE,
      scenario_type: "agentic-coding",
      isl: undefined,
      osl: undefined,
      tput_per_gpu: undefined,
      request_metrics: { throughput: { per_gpu: { total_tput_tps: 900 } } },
    };
    expect(reason(agentx)).toBe(
      "an agentic-coding row (AgentX trace replay): infermark imports InferenceX's fixed ISL/OSL rows",
    );
  });
});

describe("InferenceX's current API rows", () => {
  const API = {
    hardware: "b200",
    framework: "sglang",
    model: "dsr1",
    precision: "fp8",
    spec_method: "none",
    disagg: false,
    is_multinode: false,
    ...{ prefill_tp: 8, prefill_ep: 1, prefill_dp_attention: false, prefill_num_workers: 0 },
    ...{ decode_tp: 8, decode_ep: 1, decode_dp_attention: false, decode_num_workers: 0 },
    ...{ num_prefill_gpu: 8, num_decode_gpu: 8, isl: 1024, osl: 1024, conc: 8 },
    benchmark_type: "single_turn",
    date: "2026-08-01",
    metrics: { tput_per_gpu: 1000, median_intvty: 60 },
  };

  it("imports single_turn rows and skips AgentX ones, saying why", () => {
    expect(fromInferencexApiRow(API).ok).toBe(true);
    expect(
      fromInferencexApiRow({ ...API, benchmark_type: "agentic_traces", isl: null, osl: null }),
    ).toEqual({
      ok: false,
      reason:
        "benchmark_type agentic_traces (AgentX trace replay): infermark imports InferenceX's fixed ISL/OSL rows",
    });
  });

  it("takes a disaggregated row's role energies from its metrics", () => {
    const m = fromInferencexApiRow({
      ...API,
      disagg: true,
      is_multinode: true,
      metrics: {
        tput_per_gpu: 1000,
        power_metric_schema_version: 2,
        power_valid: 1,
        avg_power_w: 800,
        joules_per_total_token: 0.8,
        joules_per_input_token: 1.1,
        joules_per_output_token: 9,
        prefill_joules_per_input_token: 0.3,
        decode_joules_per_output_token: 6,
      },
    });
    expect(m.ok && m.point.energy).toEqual({
      kind: "reported",
      avgPowerW: 800,
      jPerTotalToken: 0.8,
      jPerInputToken: 0.3,
      jPerOutputToken: 6,
      valid: true,
      reasons: [],
    });
  });
});

describe("model keys", () => {
  it("matches a model id to a model a catalog override declares", () => {
    const catalog: Catalog = {
      ...DEFAULT_CATALOG,
      models: {
        ...DEFAULT_CATALOG.models,
        qwen3: { ...DEFAULT_CATALOG.models.dsr1!, key: "qwen3", hfId: "Qwen/Qwen3-235B-A22B" },
      },
    };
    expect(inferencexModelKey(undefined, "Qwen/Qwen3-235B-A22B")).toBeUndefined();
    expect(inferencexModelKey(undefined, "Qwen/Qwen3-235B-A22B", catalog)).toBe("qwen3");
    const row = { ...SINGLE, infmax_model_prefix: undefined, model: "/models/Qwen3-235B-A22B" };
    const r = fromInferencexAggRow(row, { date: "2026-08-20", catalog });
    expect(r.ok && r.point.config.model).toBe("qwen3");
  });
});
