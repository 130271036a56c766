import type { PointConfig, PointResult, RunInfo } from "../schemas/point-result.js";
import { POINT_SCHEMA_ID } from "../schemas/point-result.js";
import type { RequestRecord } from "../schemas/request-record.js";
import { type AggregateOptions, aggregatePoint } from "./aggregate.js";

export interface BuildPointInput {
  run: RunInfo;
  config: PointConfig;
  records: readonly RequestRecord[];
  slo?: AggregateOptions["slo"];
  client?: AggregateOptions["client"];
  maxErrorRate?: number;
  incomplete?: boolean;
}

/**
 * Aggregates request records into a complete PointResult for the given configuration.
 * GPU counts come from `config.topology`.
 */
export function buildPointResult(input: BuildPointInput): PointResult {
  const { topology } = input.config;
  const agg = aggregatePoint(input.records, {
    gpus: { total: topology.gpus, prefill: topology.prefillGpus, decode: topology.decodeGpus },
    slo: input.slo,
    client: input.client,
    maxErrorRate: input.maxErrorRate,
  });
  const validity = { ...agg.validity, reasons: [...agg.validity.reasons] };
  if (input.incomplete) {
    validity.valid = false;
    validity.reasons.push("interrupted before the level's bound (incomplete)");
  }
  const samples = input.records
    .filter((r) => !r.warmup && r.error)
    .slice(0, 5)
    .map((r) => `${r.error!.category}: ${r.error!.message}`);
  const point: PointResult = {
    schema: POINT_SCHEMA_ID,
    run: input.run,
    config: input.config,
    metrics: agg.metrics,
    errors: { ...agg.errors, ...(samples.length > 0 ? { samples } : {}) },
    validity,
  };
  if (input.client) point.client = input.client;
  if (input.incomplete) point.incomplete = true;
  return point;
}

/**
 * Builds a topology for aggregated serving on `gpus` GPUs, or disaggregated with separate counts. With a total and
 * one pool, the other pool is the GPUs that one leaves: its per-GPU throughput is divided by its own GPUs.
 * @example simpleTopology({ total: 8, prefill: 2 }).decodeGpus // 6
 */
export function simpleTopology(gpus: {
  total?: number;
  prefill?: number;
  decode?: number;
}): PointConfig["topology"] {
  if (gpus.prefill !== undefined || gpus.decode !== undefined) {
    const rest = (other: number | undefined) =>
      gpus.total !== undefined && other !== undefined && gpus.total > other
        ? gpus.total - other
        : (gpus.total ?? 1);
    const prefill = gpus.prefill ?? rest(gpus.decode);
    const decode = gpus.decode ?? rest(gpus.prefill);
    return {
      disaggregated: true,
      multinode: false,
      gpus: gpus.total ?? prefill + decode,
      prefillGpus: prefill,
      decodeGpus: decode,
    };
  }
  const total = gpus.total ?? 1;
  return {
    disaggregated: false,
    multinode: false,
    gpus: total,
    prefillGpus: total,
    decodeGpus: total,
  };
}

/**
 * The topology with each pool's layout when one is given (`tp`, `ep`, `dpAttention`): the same layout for the prefill
 * and the decode pool, as many workers as the pool's GPUs hold; without any, the topology as it is.
 * @example withPoolLayout(simpleTopology({ total: 8 }), { tp: 4 }).decode // { tp: 4, ep: 1, pp: 1, dpAttention: false, workers: 2, gpus: 8 }
 */
export function withPoolLayout(
  topology: PointConfig["topology"],
  c: { tp?: number; ep?: number; dpAttention?: boolean },
): PointConfig["topology"] {
  if (c.tp === undefined && c.ep === undefined && c.dpAttention === undefined) return topology;
  const tp = c.tp ?? 1;
  const pool = (gpus: number) => ({
    tp,
    ep: c.ep ?? 1,
    pp: 1,
    dpAttention: c.dpAttention ?? false,
    workers: Math.max(1, Math.floor(gpus / tp)),
    gpus,
  });
  return { ...topology, prefill: pool(topology.prefillGpus), decode: pool(topology.decodeGpus) };
}
