import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { NodeSpread } from "@infermark/bench";

const execFileAsync = promisify(execFile);

/** Runs a command and gives its stdout; rejects when it cannot run or fails. */
export type CommandOutput = (command: string, args: readonly string[]) => Promise<string>;

const runCommand: CommandOutput = async (command, args) =>
  (await execFileAsync(command, [...args], { timeout: 30_000 })).stdout;

/**
 * How the power sampler reaches every node of the Slurm job this sweep runs in, when the job has several (a
 * configuration larger than a node, `--nodes=N`): `srun --overlap`, a step beside the server's that shares the job's
 * GPUs, one task per node, each output line labelled with its task number (`--label`). Undefined outside a job or in
 * a job of one node, where the sampler reads this node. Without the nodes' names (`hosts`): `slurmSpreadWithHosts`
 * adds them.
 * @example slurmSpread({ SLURM_JOB_ID: "42", SLURM_JOB_NUM_NODES: "2" })?.launcher // ["srun", "--overlap", "--nodes=2", ...]
 */
export function slurmSpread(
  env: Readonly<Record<string, string | undefined>> = process.env,
): NodeSpread | undefined {
  const nodes = Number(env.SLURM_JOB_NUM_NODES);
  if (!env.SLURM_JOB_ID || !Number.isInteger(nodes) || nodes < 2) return undefined;
  // the GPUs a node holds: SLURM_GPUS_ON_NODE, else --gpus-per-node's count ("8" or "h200:8")
  const perNode = Number(
    env.SLURM_GPUS_ON_NODE ?? /(?:^|:)(\d+)$/.exec(env.SLURM_GPUS_PER_NODE ?? "")?.[1],
  );
  return srunSpread(nodes, Number.isInteger(perNode) && perNode > 0 ? perNode : undefined);
}

/**
 * `slurmSpread` with the job's node names in task order, from `scontrol show hostnames "$SLURM_JOB_NODELIST"`
 * (the k-th name runs task k of the spread's `srun --ntasks-per-node=1`), so that a DCGM exporter can be scraped on
 * each node. When the names cannot be had (scontrol fails, no SLURM_JOB_NODELIST, a count that differs from the
 * job's nodes) the spread has no `hosts`, and DCGM reads this node only: a point's measured energy then says that its
 * samples cover fewer GPUs than the configuration has.
 * @example await slurmSpreadWithHosts({ SLURM_JOB_ID: "42", SLURM_JOB_NUM_NODES: "2", SLURM_JOB_NODELIST: "gpu[1-2]" }) // hosts: ["gpu1", "gpu2"]
 */
export async function slurmSpreadWithHosts(
  env: Readonly<Record<string, string | undefined>> = process.env,
  output: CommandOutput = runCommand,
): Promise<NodeSpread | undefined> {
  const spread = slurmSpread(env);
  const nodeList = env.SLURM_JOB_NODELIST;
  if (!spread || !nodeList) return spread;
  const hosts = await output("scontrol", ["show", "hostnames", nodeList]).then(
    (stdout) => stdout.split("\n").flatMap((line) => (line.trim() ? [line.trim()] : [])),
    () => [],
  );
  return hosts.length === spread.nodes ? { ...spread, hosts } : spread;
}

/**
 * `srun --overlap` on `nodes` nodes, one task each, lines labelled with the task number (see `slurmSpread`), each
 * node holding `gpusPerNode` GPUs when known.
 */
export const srunSpread = (nodes: number, gpusPerNode?: number): NodeSpread => ({
  launcher: [
    "srun",
    "--overlap",
    `--nodes=${nodes}`,
    `--ntasks=${nodes}`,
    "--ntasks-per-node=1",
    "--label",
    "--quiet",
  ],
  nodes,
  ...(gpusPerNode ? { gpusPerNode } : {}),
});
