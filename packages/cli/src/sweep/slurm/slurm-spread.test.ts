import { describe, expect, it } from "vitest";
import {
  type CommandOutput,
  slurmSpread,
  slurmSpreadWithHosts,
  srunSpread,
} from "./slurm-spread.js";

/** A stand-in for `scontrol` that prints `answer` (or fails with it), and the calls it got. */
function scontrol(answer: string | Error): { output: CommandOutput; calls: string[][] } {
  const calls: string[][] = [];
  const output: CommandOutput = async (command, args) => {
    calls.push([command, ...args]);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { output, calls };
}

const JOB = { SLURM_JOB_ID: "42", SLURM_JOB_NUM_NODES: "2", SLURM_JOB_NODELIST: "gpu-[07-08]" };

describe("slurmSpread", () => {
  it("spreads over the nodes of a job of several, not outside a job or in a job of one", () => {
    expect(slurmSpread(JOB)).toEqual({
      launcher: [
        "srun",
        "--overlap",
        "--nodes=2",
        "--ntasks=2",
        "--ntasks-per-node=1",
        "--label",
        "--quiet",
      ],
      nodes: 2,
    });
    expect(slurmSpread({ ...JOB, SLURM_JOB_NUM_NODES: "1" })).toBeUndefined();
    expect(slurmSpread({ SLURM_JOB_NUM_NODES: "2" })).toBeUndefined();
  });

  it("knows the GPUs a node holds from the job (SLURM_GPUS_ON_NODE, else --gpus-per-node)", () => {
    expect(slurmSpread({ ...JOB, SLURM_GPUS_ON_NODE: "8" })?.gpusPerNode).toBe(8);
    expect(slurmSpread({ ...JOB, SLURM_GPUS_PER_NODE: "h200:4" })?.gpusPerNode).toBe(4);
    expect(slurmSpread({ ...JOB, SLURM_GPUS_PER_NODE: "8" })?.gpusPerNode).toBe(8);
    expect(slurmSpread({ ...JOB, SLURM_GPUS_PER_NODE: "h200" })).toEqual(srunSpread(2));
    expect(slurmSpread(JOB)?.gpusPerNode).toBeUndefined();
  });

  it("names the job's nodes in task order from scontrol show hostnames", async () => {
    const { output, calls } = scontrol("gpu-07\ngpu-08\n");
    expect(await slurmSpreadWithHosts(JOB, output)).toEqual({
      ...srunSpread(2),
      hosts: ["gpu-07", "gpu-08"],
    });
    expect(calls).toEqual([["scontrol", "show", "hostnames", "gpu-[07-08]"]]);
  });

  it("leaves hosts out when scontrol fails or names another number of nodes; asks nothing outside a job", async () => {
    const failing = scontrol(new Error("scontrol: command not found"));
    expect(await slurmSpreadWithHosts(JOB, failing.output)).toEqual(srunSpread(2));
    expect(await slurmSpreadWithHosts(JOB, scontrol("gpu-07\n").output)).toEqual(srunSpread(2));
    const { SLURM_JOB_NODELIST: _, ...noList } = JOB;
    expect(await slurmSpreadWithHosts(noList, failing.output)).toEqual(srunSpread(2));
    const single = scontrol("gpu-07\n");
    expect(
      await slurmSpreadWithHosts({ ...JOB, SLURM_JOB_NUM_NODES: "1" }, single.output),
    ).toBeUndefined();
    expect([failing.calls.length, single.calls.length]).toEqual([1, 0]);
  });
});
