import { z } from "zod";
import type { PointResult } from "./point-result.js";
import { PointSource } from "./point-result.js";

const list = z.array(z.string().min(1)).min(1);

/**
 * Which points a query selects. Every field narrows; list fields match any of their values.
 * Shared by the store's query layer, the analysis CLI and the dashboard API.
 */
export const PointFilter = z
  .object({
    model: list.optional(),
    isl: z.number().int().nonnegative().optional(),
    osl: z.number().int().nonnegative().optional(),
    hardware: list.optional(),
    framework: list.optional(),
    precision: list.optional(),
    spec: list.optional().describe("speculative-decoding methods (none, mtp, ...)"),
    disaggregated: z.boolean().optional(),
    source: z.array(PointSource).min(1).optional(),
    dateFrom: z.string().optional().describe("inclusive, ISO date"),
    dateTo: z.string().optional().describe("inclusive, ISO date"),
    latest: z
      .boolean()
      .optional()
      .describe("only the latest point of each configuration and concurrency (as of dateTo)"),
    validOnly: z.boolean().optional(),
  })
  .strict();
export type PointFilter = z.infer<typeof PointFilter>;

const inList = (list: readonly string[] | undefined, value: string) =>
  !list || list.includes(value);

/** The date part (YYYY-MM-DD) of a run date. */
export const dayOf = (date: string) => date.slice(0, 10);

/**
 * Whether a point passes a filter's per-point conditions (everything except `latest`, which needs the whole set).
 */
export function matchesFilter(point: PointResult, filter: PointFilter): boolean {
  const c = point.config;
  const day = dayOf(point.run.date);
  return (
    inList(filter.model, c.model) &&
    (filter.isl === undefined || c.workload.isl === filter.isl) &&
    (filter.osl === undefined || c.workload.osl === filter.osl) &&
    inList(filter.hardware, c.hardware) &&
    inList(filter.framework, c.framework) &&
    inList(filter.precision, c.precision) &&
    inList(filter.spec, c.specDecoding.method) &&
    (filter.disaggregated === undefined || c.topology.disaggregated === filter.disaggregated) &&
    (!filter.source || filter.source.includes(point.run.source)) &&
    (!filter.dateFrom || day >= filter.dateFrom) &&
    (!filter.dateTo || day <= filter.dateTo) &&
    (!filter.validOnly || point.validity.valid)
  );
}
