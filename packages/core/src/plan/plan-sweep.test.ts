import { describe, expect, it } from "vitest";
import { SweepSpec, type SweepSpecInput } from "../schemas/sweep-spec.js";
import { githubMatrix } from "./github-matrix.js";
import { PlanError } from "./plan-error.js";
import { planSweep } from "./plan-sweep.js";

const base: SweepSpecInput = {
  name: "t",
  model: "dsr1",
  modelId: "deepseek-ai/DeepSeek-R1",
  hardware: "h200",
  framework: "vllm",
  image: "vllm/vllm-openai:v0.10.1",
  precision: "fp8",
  scenarios: [{ isl: 1024, osl: 1024 }],
  search: { tp: [8], concurrency: [4, 16] },
  server: {
    kind: "command",
    command:
      "vllm serve {{modelId}} --port {{port}} -tp {{tp}}{{#expertParallel}} --enable-expert-parallel{{/expertParallel}}{{#mtp}} --num-spec {{draftTokens}}{{/mtp}}",
  },
};
const plan = (over: Partial<SweepSpecInput> = {}) =>
  planSweep(SweepSpec.parse({ ...base, ...over }));

describe("planSweep", () => {
  it("expands hardware x layout x spec decoding x scenario into servers, and levels into points", () => {
    const p = plan({
      hardware: ["h200", "b200"],
      search: {
        tp: [8],
        ep: [1, 8],
        specDecoding: [{ method: "none" }, { method: "mtp", draftTokens: 3 }],
        concurrency: { from: 4, to: 64, factor: 4 },
      },
      scenarios: [
        { isl: 1024, osl: 1024 },
        { isl: 8192, osl: 1024 },
      ],
    });
    expect(p.servers).toHaveLength(2 * 2 * 2 * 2);
    expect(p.points).toHaveLength(16 * 3);
    expect(p.servers.map((s) => s.name).slice(0, 4)).toEqual([
      "dsr1-h200-vllm-fp8-tp8-1k1k",
      "dsr1-h200-vllm-fp8-tp8-8k1k",
      "dsr1-h200-vllm-fp8-tp8-mtp3-1k1k",
      "dsr1-h200-vllm-fp8-tp8-mtp3-8k1k",
    ]);
    expect(p.points.slice(0, 3).map((x) => x.name)).toEqual([
      "dsr1-h200-vllm-fp8-tp8-1k1k-c4",
      "dsr1-h200-vllm-fp8-tp8-1k1k-c16",
      "dsr1-h200-vllm-fp8-tp8-1k1k-c64",
    ]);
    expect(new Set(p.points.map((x) => x.fingerprint)).size).toBe(48);
    expect(new Set(p.points.map((x) => x.name)).size).toBe(48);
    const ep = p.servers.find((s) => s.name === "dsr1-b200-vllm-fp8-tp8-ep8-mtp3-8k1k")!;
    expect(ep.command).toBe(
      "vllm serve deepseek-ai/DeepSeek-R1 --port 8000 -tp 8 --enable-expert-parallel --num-spec 3",
    );
  });

  it("fills the point configuration, request counts and load", () => {
    const point = plan().points[1]!;
    expect(point.requests).toBe(160);
    expect(point.warmupRequests).toBe(32);
    expect(point.config).toEqual({
      model: "dsr1",
      modelId: "deepseek-ai/DeepSeek-R1",
      hardware: "h200",
      framework: "vllm",
      image: "vllm/vllm-openai:v0.10.1",
      precision: "fp8",
      specDecoding: { method: "none" },
      topology: {
        disaggregated: false,
        multinode: false,
        gpus: 8,
        prefillGpus: 8,
        decodeGpus: 8,
        prefill: { tp: 8, ep: 1, pp: 1, dpAttention: false, workers: 1, gpus: 8 },
        decode: { tp: 8, ep: 1, pp: 1, dpAttention: false, workers: 1, gpus: 8 },
      },
      workload: { kind: "random", isl: 1024, osl: 1024 },
      load: { mode: "concurrency", concurrency: 16, requests: 160, warmupRequests: 32 },
    });
  });

  it("keeps fingerprints stable across names, descriptions, ports, readiness and executors", () => {
    const a = plan();
    const b = plan({
      name: "renamed",
      description: "x",
      readiness: { timeoutS: 5 },
      server: { ...(base.server as object), port: 9000 } as SweepSpecInput["server"],
      executor: { github: { runsOn: ["x"] } },
    });
    expect(b.points.map((p) => p.fingerprint)).toEqual(a.points.map((p) => p.fingerprint));
    // ...but not across anything that changes what is measured
    expect(plan({ image: "vllm/vllm-openai:v0.11.0" }).points[0]!.fingerprint).not.toBe(
      a.points[0]!.fingerprint,
    );
    expect(plan({ limits: { requestsPerConcurrency: 5 } }).points[0]!.fingerprint).not.toBe(
      a.points[0]!.fingerprint,
    );
    expect(a.points[0]!.serverKey).toBe(a.points[1]!.serverKey);
  });

  it("pins the fingerprint of a known point (change FINGERPRINT_VERSION when this moves)", () => {
    expect(plan().points[0]!.fingerprint).toBe("ec23d6d032d8f3f3");
  });

  it("plans disaggregated pools with their own TP/EP and sums their GPUs", () => {
    const p = plan({
      search: {
        disaggregated: {
          prefill: { workers: [2], tp: [4] },
          decode: { tp: [8], ep: [8], dpAttention: [true] },
        },
        concurrency: [256],
      },
    });
    expect(p.servers.map((s) => s.name)).toEqual(["dsr1-h200-vllm-fp8-p2xtp4-d1xtp8-ep8-dpa-1k1k"]);
    const t = p.points[0]!.config.topology;
    expect([t.gpus, t.prefillGpus, t.decodeGpus, t.disaggregated]).toEqual([16, 8, 8, true]);
    expect(p.servers[0]!.vars).toMatchObject({
      prefillTp: 4,
      prefillWorkers: 2,
      decodeEp: 8,
      decodeDp: 8,
    });
  });

  it("skips combinations that make no sense and says why", () => {
    const p = plan({ search: { tp: [4, 8], ep: [8], dpAttention: [false], concurrency: [1] } });
    expect(p.servers.map((s) => s.name)).toEqual(["dsr1-h200-vllm-fp8-tp8-ep8-1k1k"]);
    expect(p.skipped).toEqual([
      {
        hardware: "h200",
        description: "tp4 ep8",
        reason: "ep 8 exceeds the tp 4 group it shards experts over",
      },
    ]);
    expect(() => plan({ search: { tp: [1], dpAttention: [true], concurrency: [1] } })).toThrow(
      PlanError,
    );
  });

  it("rejects a docker recipe without an image", () => {
    expect(() =>
      plan({
        image: undefined,
        server: { kind: "docker", command: "python3 -m sglang.launch_server" },
      }),
    ).toThrow(
      new PlanError(
        "server.image: a docker recipe needs an image (set server.image or the spec's image)",
      ),
    );
  });

  it("rejects a concurrency range that holds no level", () => {
    expect(() => plan({ search: { tp: [8], concurrency: { from: 64, to: 4 } } })).toThrow(
      new PlanError("search.concurrency: from 64 is above to 4, so the range holds no level"),
    );
  });

  it("keeps names unique when two options differ only in what the name leaves out", () => {
    const p = plan({
      search: {
        tp: [8],
        specDecoding: [
          { method: "mtp", draftTokens: 1, acceptanceLength: 1.7 },
          { method: "mtp", draftTokens: 1, acceptanceLength: 1.9 },
        ],
        concurrency: [1],
      },
    });
    const [a, b] = p.servers.map((s) => s.name);
    expect(a).toBe("dsr1-h200-vllm-fp8-tp8-mtp1-1k1k");
    expect(b).toMatch(/^dsr1-h200-vllm-fp8-tp8-mtp1-1k1k-[0-9a-f]{6}$/);
  });

  it("reports an unknown template placeholder at plan time", () => {
    expect(() =>
      plan({ server: { kind: "command", command: "serve --tp {{tensor_parallel}}" } }),
    ).toThrow(/unknown placeholder \{\{tensor_parallel\}\}/);
  });
});

describe("githubMatrix", () => {
  it("has one entry per server configuration with runner labels per hardware", () => {
    const p = plan({
      hardware: ["h200", "mi355x"],
      executor: { github: { runsOn: ["self-hosted", "{{hardware}}"] } },
    });
    expect(githubMatrix(p)).toEqual({
      include: [
        {
          server: p.servers[0]!.key,
          name: "dsr1-h200-vllm-fp8-tp8-1k1k",
          hardware: "h200",
          runsOn: ["self-hosted", "h200"],
          points: 2,
        },
        {
          server: p.servers[1]!.key,
          name: "dsr1-mi355x-vllm-fp8-tp8-1k1k",
          hardware: "mi355x",
          runsOn: ["self-hosted", "mi355x"],
          points: 2,
        },
      ],
    });
  });
});
