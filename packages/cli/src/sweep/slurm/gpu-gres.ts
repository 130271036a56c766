/*
 * Whether a Slurm job should ask for GPUs when the spec does not say how many: a cluster that schedules GPUs as
 * generic resources (gres) gives a job none unless it asks, so an engine started there finds no GPU; a cluster
 * without GPU gres (a test cluster, GPUs handed out by node) refuses a job that asks for them.
 */

/**
 * GPUs of one node's `%G` gres list: `gpu:h100:8(S:0-1),nvme:1` is 8, `gpu:2,gpu:a100:2` is 4, `gpu` alone 1,
 * `(null)` 0.
 * @example gresGpus("gpu:h200:8(S:0-1)") // 8
 */
export function gresGpus(gres: string): number {
  let gpus = 0;
  for (const item of gres.split(",")) {
    // name[:type][:count][(socket or index details)]
    const [name, ...rest] = item.replace(/\(.*$/, "").trim().split(":");
    if (name !== "gpu") continue;
    // the count is the last field when it is a number (`gpu:0` is none); a name alone, or with a type, is one
    const last = rest.at(-1);
    gpus += last !== undefined && /^\d+$/.test(last) ? Number(last) : rest.length <= 1 ? 1 : 0;
  }
  return gpus;
}

/**
 * The most GPUs one node of a partition offers as gres, from `sinfo -h -o "%P %G"` (a line per partition and gres
 * list; the default partition's name ends in `*`): the named partition's nodes (of any of them, for a list such
 * as `gpu,gpu-long`), else the default partition's (every line when none is marked). 0 when they have no GPU gres.
 * @example gpusOffered("gpu* gpu:h200:8(S:0-1)\ncpu (null)\n") // 8
 */
export function gpusOffered(sinfo: string, partition?: string): number {
  const lines = sinfo
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((f): f is [string, string] => f.length >= 2 && f[0] !== "");
  const named = (p: string) => p.replace(/\*$/, "");
  const wanted = new Set(partition?.split(",").map((p) => p.trim()));
  const chosen = partition
    ? lines.filter(([p]) => wanted.has(named(p)))
    : lines.some(([p]) => p.endsWith("*"))
      ? lines.filter(([p]) => p.endsWith("*"))
      : lines;
  return Math.max(0, ...chosen.map(([, gres]) => gresGpus(gres)));
}

/**
 * The partition a job lands in: `SBATCH_PARTITION` in sbatch's environment wins over the script, and in the script
 * the last `--partition` / `-p` directive wins over the one the spec or flag gives (the directives come after it).
 * Undefined: the cluster's default partition.
 * @example jobPartition({ given: "cpu", directives: ["-p gpu"], env: {} }) // "gpu"
 */
export function jobPartition(o: {
  given?: string | undefined;
  directives: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}): string | undefined {
  if (o.env.SBATCH_PARTITION) return o.env.SBATCH_PARTITION;
  let partition = o.given;
  for (const d of o.directives) {
    const m = /^(?:#SBATCH\s+)?(?:--partition(?:=|\s+)|-p\s*)(\S+)/.exec(d.trim());
    if (m) partition = m[1];
  }
  return partition || undefined;
}

/** Whether extra `#SBATCH` directives already ask for GPUs (`--gres=gpu:...`, `--gpus...`, `-G`). */
export const directivesAskForGpus = (directives: readonly string[]): boolean =>
  directives.some((d) => /(^|\s)(--gres[=\s]\S*gpu|--gpus|-G(\s|\d|$))/.test(d));

/** What one job asks for: its nodes, and the GPUs on each (undefined: no GPU line). */
export interface JobResources {
  nodes: number;
  gpusPerNode?: number;
}

/**
 * The nodes and `--gpus-per-node` of the job of a server configuration of `serverGpus` GPUs.
 * - GPUs per node: the count given (0: none); else, when the server needs GPUs (a real engine, not the simulator or
 *   an external endpoint) and the partition offers GPU gres, the configuration's GPUs shared evenly over its nodes;
 *   else none.
 * - Nodes: the count given; else, for a server that needs GPUs, as many as its GPUs need at the GPUs a node holds
 *   for the job (the count given, else the most the partition offers): 16 GPUs on nodes of 8 are 2 nodes; else 1.
 * @example jobResources({ needsGpus: true, serverGpus: 16, offered: 8 }) // { nodes: 2, gpusPerNode: 8 }
 */
export function jobResources(o: {
  given?: number;
  nodes?: number;
  needsGpus: boolean;
  serverGpus: number;
  offered: number;
}): JobResources {
  const perNode = o.given ?? (o.needsGpus ? o.offered : 0);
  const nodes =
    o.nodes ?? (o.needsGpus && perNode > 0 ? Math.max(1, Math.ceil(o.serverGpus / perNode)) : 1);
  const gpusPerNode =
    o.given !== undefined
      ? o.given
      : o.needsGpus && o.offered > 0
        ? Math.ceil(o.serverGpus / nodes)
        : 0;
  return { nodes, ...(gpusPerNode > 0 ? { gpusPerNode } : {}) };
}
