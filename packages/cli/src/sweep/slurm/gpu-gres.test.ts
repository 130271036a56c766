import { planSweep, SweepSpec } from "@infermark/core";
import { describe, expect, it } from "vitest";
import {
  directivesAskForGpus,
  gpusOffered,
  gresGpus,
  jobPartition,
  jobResources,
} from "./gpu-gres.js";
import { jobCommand, jobScript, partitionOf, type SlurmRunOptions } from "./run-slurm.js";

/** `sinfo -h -o "%P %G"` of a cluster with a default GPU partition of 8-GPU nodes beside a CPU partition. */
const GPU_CLUSTER =
  "gpu* gpu:h200:8(S:0-1)\ngpu* gpu:h200:4(S:0)\ncpu (null)\ndebug gpu:2,gpu:a100:2\n";
/** The one-node test cluster (.ci/setup-slurm.sh): no gres at all. */
const TEST_CLUSTER = "debug* (null)\n";

describe("GPU gres from sinfo", () => {
  it("counts a node's GPUs from its gres list", () => {
    expect(
      [
        "gpu:h200:8(S:0-1)",
        "gpu:4,nvme:1",
        "gpu:2,gpu:a100:2",
        "gpu",
        "gpu:h100",
        "shard:8",
        "(null)",
        "gpu:0",
        "gpu:a100:0",
        "gpu:a100:4(S:0),gpu:v100:2(S:1)",
        "gpu:tesla:2(S:0,1),mps:200",
      ].map(gresGpus),
    ).toEqual([8, 4, 4, 1, 1, 0, 0, 0, 0, 6, 2]);
  });

  it("takes the named partition's nodes, else the default partition's", () => {
    expect(gpusOffered(GPU_CLUSTER)).toBe(8);
    expect(gpusOffered(GPU_CLUSTER, "debug")).toBe(4);
    expect(gpusOffered(GPU_CLUSTER, "cpu")).toBe(0);
    expect(gpusOffered(GPU_CLUSTER, "nope")).toBe(0);
    expect(gpusOffered(TEST_CLUSTER)).toBe(0);
    expect(gpusOffered("a gpu:2\nb gpu:4\n")).toBe(4);
    // sbatch --partition=a,b: the job may start in either
    expect(gpusOffered(GPU_CLUSTER, "cpu,debug")).toBe(4);
    expect(gpusOffered(GPU_CLUSTER, "cpu,nope")).toBe(0);
  });

  it("finds the partition the job lands in: SBATCH_PARTITION, else the last directive, else the one given", () => {
    const at = (given: string | undefined, directives: string[], env = {}) =>
      jobPartition({ given, directives, env });
    expect([
      at("cpu", []),
      at(undefined, []),
      at("cpu", ["--partition=gpu"]),
      at("cpu", ["#SBATCH -p gpu", "--qos=high"]),
      at(undefined, ["-pgpu", "--partition gpu-long"]),
      at("cpu", ["--profile=all", "--parsable"]),
      at("cpu", ["-p gpu"], { SBATCH_PARTITION: "batch" }),
    ]).toEqual(["cpu", undefined, "gpu", "gpu", "gpu-long", "cpu", "batch"]);
  });

  it("sees a GPU request in the directives", () => {
    expect(
      [
        ["--gres=gpu:8"],
        ["--gres gpu:h200:8"],
        ["--gpus=8"],
        ["-G 8"],
        ["--qos=high", "--exclusive"],
      ].map(directivesAskForGpus),
    ).toEqual([true, true, true, true, false]);
  });

  it("asks for the server's GPUs only where the partition has GPU gres and nothing was given", () => {
    const server = { needsGpus: true, serverGpus: 8 };
    expect(jobResources({ ...server, offered: 8 })).toEqual({ nodes: 1, gpusPerNode: 8 });
    expect(jobResources({ ...server, offered: 0 })).toEqual({ nodes: 1 });
    expect(jobResources({ ...server, needsGpus: false, offered: 8 })).toEqual({ nodes: 1 });
    expect(jobResources({ ...server, given: 8, offered: 8 })).toEqual({ nodes: 1, gpusPerNode: 8 });
    expect(jobResources({ ...server, given: 0, offered: 8 })).toEqual({ nodes: 1 });
  });

  it("spreads a configuration larger than a node over as many nodes as it needs, its GPUs evenly", () => {
    const engine = { needsGpus: true };
    // before: one node asking for --gpus-per-node=16 (never scheduled), or for 8 of the 16 GPUs given 8 a node
    expect(jobResources({ ...engine, serverGpus: 16, offered: 8 })).toEqual({
      nodes: 2,
      gpusPerNode: 8,
    });
    expect(jobResources({ ...engine, serverGpus: 12, offered: 8 })).toEqual({
      nodes: 2,
      gpusPerNode: 6,
    });
    expect(jobResources({ ...engine, serverGpus: 16, given: 8, offered: 0 })).toEqual({
      nodes: 2,
      gpusPerNode: 8,
    });
    expect(jobResources({ ...engine, serverGpus: 8, given: 4, offered: 8 })).toEqual({
      nodes: 2,
      gpusPerNode: 4,
    });
    // the count given wins; the GPUs are shared over those nodes
    expect(jobResources({ ...engine, serverGpus: 16, nodes: 4, offered: 8 })).toEqual({
      nodes: 4,
      gpusPerNode: 4,
    });
    // without a GPU count a node is known to hold, one node (GPUs handed out by node): the spec's nodes say more
    expect(jobResources({ ...engine, serverGpus: 16, offered: 0 })).toEqual({ nodes: 1 });
    expect(jobResources({ ...engine, serverGpus: 16, nodes: 2, offered: 0 })).toEqual({ nodes: 2 });
    // the simulator needs no GPU: one node, whatever its configuration's size
    expect(jobResources({ needsGpus: false, serverGpus: 64, given: 8, offered: 8 })).toEqual({
      nodes: 1,
      gpusPerNode: 8,
    });
  });
});

function options(
  server: Record<string, unknown>,
  slurm: Record<string, unknown> = {},
  search: Record<string, unknown> = {},
): SlurmRunOptions {
  const spec = SweepSpec.parse({
    name: "s",
    model: "dsr1",
    hardware: "h200",
    framework: "vllm",
    precision: "fp8",
    scenarios: [{ isl: 1024, osl: 1024 }],
    search: { tp: [8], concurrency: [4], ...search },
    server,
    executor: { slurm },
  });
  const plan = planSweep(spec);
  return {
    plan,
    servers: plan.servers,
    specPath: "/s.yaml",
    outputDir: "/out",
    power: "none",
    force: false,
    selfCommand: ["infermark"],
    cwd: "/",
    flags: {},
  };
}

describe("jobScript", () => {
  const gpuLine = (script: string) => script.split("\n").filter((l) => l.includes("gpu"));

  it("asks for a real engine's GPUs on a GPU gres partition, and for none elsewhere", () => {
    const o = options({ kind: "command", command: "vllm serve --port {{port}}" });
    expect(gpuLine(jobScript(o, o.servers[0]!, gpusOffered(GPU_CLUSTER)))).toEqual([
      "#SBATCH --gpus-per-node=8",
    ]);
    expect(gpuLine(jobScript(o, o.servers[0]!, gpusOffered(TEST_CLUSTER)))).toEqual([]);
  });

  it("keeps what the spec gives, and asks nothing for the simulator", () => {
    const given = options({ kind: "command", command: "x" }, { gpusPerNode: 4 });
    expect(gpuLine(jobScript(given, given.servers[0]!, 8))).toEqual(["#SBATCH --gpus-per-node=4"]);
    const none = options({ kind: "command", command: "x" }, { gpusPerNode: 0 });
    expect(gpuLine(jobScript(none, none.servers[0]!, 8))).toEqual([]);
    const gres = options({ kind: "command", command: "x" }, { directives: ["--gres=gpu:8"] });
    expect(gpuLine(jobScript(gres, gres.servers[0]!, 8))).toEqual(["#SBATCH --gres=gpu:8"]);
    const sim = options({ kind: "simulator" });
    expect(gpuLine(jobScript(sim, sim.servers[0]!, 8))).toEqual([]);
  });

  it("writes a job of several nodes with one task on each (--ntasks=1 would shrink it to one node)", () => {
    // a disaggregated configuration of one prefill and one decode worker of TP8: 16 GPUs
    const o = options(
      { kind: "command", command: "x" },
      {},
      { disaggregated: { prefill: { tp: [8] }, decode: { tp: [8] } } },
    );
    const script = jobScript(o, o.servers[0]!, 8);
    expect(o.servers[0]!.topology.gpus).toBe(16);
    expect(script.split("\n").filter((l) => /--nodes|--ntasks|gpu/.test(l))).toEqual([
      "#SBATCH --nodes=2",
      "#SBATCH --ntasks-per-node=1",
      "#SBATCH --gpus-per-node=8",
    ]);
    const one = options({ kind: "command", command: "x" });
    expect(
      jobScript(one, one.servers[0]!, 8)
        .split("\n")
        .filter((l) => /--nodes|--ntasks/.test(l)),
    ).toEqual(["#SBATCH --nodes=1", "#SBATCH --ntasks=1"]);
  });

  it("passes --dcgm-url on to the job's sweep (the spec's dcgmUrl is read there)", () => {
    const o = options({ kind: "command", command: "x" });
    const url = "http://dcgm.internal:9500/metrics";
    expect(jobCommand({ ...o, power: "dcgm", dcgmUrl: url }, o.servers[0]!)).toEqual(
      expect.arrayContaining(["--power", "dcgm", "--dcgm-url", url]),
    );
    expect(jobCommand(o, o.servers[0]!)).not.toContain("--dcgm-url");
  });

  it("looks up the partition the job's directives choose, not only executor.slurm.partition", () => {
    const engine = { kind: "command", command: "x" };
    const o = options(engine, { partition: "cpu", directives: ["#SBATCH -p gpu"] });
    // before, sinfo was asked about cpu (no gres: no GPUs asked for) while the job ran on gpu
    expect([partitionOf(o, {}), partitionOf(options(engine), {})]).toEqual(["gpu", undefined]);
    expect(partitionOf({ ...o, flags: { directives: ["--partition=gpu-long"] } }, {})).toBe(
      "gpu-long",
    );
  });
});
