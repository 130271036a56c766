import type { NodeSpread } from "@infermark/bench";

/**
 * How the power sampler reaches every node of the Slurm job this sweep runs in, when the job has several (a
 * configuration larger than a node, `--nodes=N`): `srun --overlap`, a step beside the server's that shares the job's
 * GPUs, one task per node, each output line labelled with its task number (`--label`). Undefined outside a job or in
 * a job of one node, where the sampler reads this node.
 * @example slurmSpread({ SLURM_JOB_ID: "42", SLURM_JOB_NUM_NODES: "2" })?.launcher // ["srun", "--overlap", "--nodes=2", ...]
 */
export function slurmSpread(
  env: Readonly<Record<string, string | undefined>> = process.env,
): NodeSpread | undefined {
  const nodes = Number(env.SLURM_JOB_NUM_NODES);
  if (!env.SLURM_JOB_ID || !Number.isInteger(nodes) || nodes < 2) return undefined;
  return srunSpread(nodes);
}

/** `srun --overlap` on `nodes` nodes, one task each, lines labelled with the task number (see `slurmSpread`). */
export const srunSpread = (nodes: number): NodeSpread => ({
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
});
