import { shellQuote } from "../self-command.js";

/** Settings of one Slurm job, from the spec's `executor.slurm` and flags. */
export interface SbatchSettings {
  jobName: string;
  /** `--output`; `%j` is the job id. */
  outputPath: string;
  workdir: string;
  partition?: string;
  account?: string;
  /** @default 1 */
  nodes?: number;
  gpusPerNode?: number;
  time?: string;
  /** Extra `#SBATCH` options, with or without the leading `#SBATCH`. */
  directives?: readonly string[];
  /** Shell lines before the command (module load, venv). */
  setup?: readonly string[];
  /** The command, as arguments. */
  command: readonly string[];
}

/**
 * Renders a batch script: its nodes (one by default) with one task on each (the batch step runs the command on the
 * first; a multi-node engine starts the other nodes' workers itself, with `srun`), the given partition, account, GPUs per node, time limit and extra
 * directives, then the setup lines and the command (exec'd, so that `scancel` signals it directly).
 * @example renderSbatchScript({ jobName: "infermark-x", outputPath: "out/x/slurm-%j.out", workdir: "/repo", command: ["infermark", "sweep", ...] })
 */
export function renderSbatchScript(s: SbatchSettings): string {
  const lines = [
    "#!/bin/bash",
    `#SBATCH --job-name=${s.jobName}`,
    `#SBATCH --output=${s.outputPath}`,
    `#SBATCH --chdir=${s.workdir}`,
  ];
  const nodes = s.nodes ?? 1;
  // --ntasks=1 on several nodes would make Slurm shrink the job to one node
  lines.push(
    `#SBATCH --nodes=${nodes}`,
    nodes > 1 ? "#SBATCH --ntasks-per-node=1" : "#SBATCH --ntasks=1",
  );
  if (s.partition) lines.push(`#SBATCH --partition=${s.partition}`);
  if (s.account) lines.push(`#SBATCH --account=${s.account}`);
  if (s.gpusPerNode) lines.push(`#SBATCH --gpus-per-node=${s.gpusPerNode}`);
  if (s.time) lines.push(`#SBATCH --time=${s.time}`);
  for (const d of s.directives ?? []) lines.push(d.startsWith("#SBATCH") ? d : `#SBATCH ${d}`);
  lines.push(
    "",
    "set -euo pipefail",
    'echo "infermark: job $SLURM_JOB_ID on $(hostname) at $(date -Is)"',
  );
  lines.push(...(s.setup ?? []));
  lines.push(`exec ${s.command.map(shellQuote).join(" ")}`, "");
  return lines.join("\n");
}
