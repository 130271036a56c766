import type { PowerSample } from "@infermark/core";

/*
 * Power of a server that spans several nodes (a multi-node Slurm job): the per-node tool (nvidia-smi, amd-smi) runs
 * on every node at once through a launcher that prefixes each line with the node's task number (`srun --label`:
 * `1: ...`), and a DCGM exporter is scraped on each node by its host name. While sampling, a node's GPU i is kept as
 * node x NODE_GPU_BASE + i; when the samples are returned, the GPUs are numbered across the nodes in order: node k's
 * GPU i becomes k x G + i, where G is one more than the highest GPU index any node reported (8-GPU nodes: node 1's
 * GPU 0 is 8).
 */

/** How a per-node sampler tool is run on every node of a job. */
export interface NodeSpread {
  /**
   * The launcher and its arguments, which the tool and its arguments follow; it must label each output line with
   * the node's task number, 0 to `nodes` - 1, one task per node: `["srun", "--overlap", "--nodes=2",
   * "--ntasks-per-node=1", "--label"]`.
   */
  launcher: readonly string[];
  nodes: number;
  /**
   * The nodes' host names in task order (task k of the launcher runs on `hosts[k]`), for sources read over the
   * network (a DCGM exporter on each node); absent when they are not known, and such a source reads this node only.
   */
  hosts?: readonly string[];
  /** The GPUs each node holds (`SLURM_GPUS_ON_NODE`), for numbering them across the nodes; absent when unknown. */
  gpusPerNode?: number;
}

/** The factor that keeps a node's GPUs apart while sampling (no node has a million GPUs). */
const NODE_GPU_BASE = 1_000_000;

/**
 * A labelled line's node (its task number) and the tool's own line; undefined for a line without a label.
 * @example splitNodeLabel(" 1: 2026/11/28 10:00:00.100, 3, 512.3") // { node: 1, line: "2026/11/28 10:00:00.100, 3, 512.3" }
 */
export function splitNodeLabel(line: string): { node: number; line: string } | undefined {
  const m = /^\s*(\d+): ?(.*)$/.exec(line);
  return m ? { node: Number(m[1]), line: m[2]! } : undefined;
}

/**
 * The lines of a labelled run's output, grouped by node (task number) in order; unlabelled lines are left out.
 * @example linesByNode("0: [\n1: [\n0: ]\n1: ]\n") // Map { 0 => "[\n]", 1 => "[\n]" }
 */
export function linesByNode(text: string): Map<number, string> {
  const lines = new Map<number, string[]>();
  for (const raw of text.split("\n")) {
    const labelled = splitNodeLabel(raw);
    if (!labelled) continue;
    const list = lines.get(labelled.node) ?? [];
    list.push(labelled.line);
    lines.set(labelled.node, list);
  }
  return new Map([...lines].map(([node, list]) => [node, list.join("\n")]));
}

/** A sample (or reading) of node `node`'s GPU `gpu`, numbered apart from every other node's while sampling. */
export const nodeSample = <T extends { gpu: number }>(node: number, sample: T): T => ({
  ...sample,
  gpu: node * NODE_GPU_BASE + sample.gpu,
});

/** The node a sample made by `nodeSample` came from. */
export const sampleNode = (sample: { gpu: number }): number =>
  Math.floor(sample.gpu / NODE_GPU_BASE);

/**
 * Numbers the GPUs of samples made by `nodeSample` across the nodes: node k's GPU i is k x G + i, G being the GPUs a
 * node holds (`gpusPerNode`, from the job), or one more than the highest GPU index any node reported when that is
 * more or the job does not say (a node's last GPU that reads `[N/A]` on every node would shift the others then).
 * @example numberAcrossNodes([nodeSample(1, { t: 0, gpu: 0, watts: 500 }), nodeSample(0, { t: 0, gpu: 7, watts: 500 })]).map((s) => s.gpu) // [8, 7]
 */
export function numberAcrossNodes(samples: readonly PowerSample[], gpusPerNode = 0): PowerSample[] {
  let perNode = gpusPerNode;
  for (const s of samples) perNode = Math.max(perNode, (s.gpu % NODE_GPU_BASE) + 1);
  return samples.map((s) => ({
    ...s,
    gpu: sampleNode(s) * perNode + (s.gpu % NODE_GPU_BASE),
  }));
}
