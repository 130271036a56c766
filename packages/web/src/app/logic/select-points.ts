import { type PointFilter, workloadKind } from "@infermark/core";
import { narrowsWorkload, type ViewState } from "../state/view-state.js";
import type { Item } from "./types.js";

/** The point filter of a view state: every dimension filter the dashboard offers. */
export function stateFilter(state: ViewState): PointFilter {
  const filter: PointFilter = {};
  if (state.model.length > 0) filter.model = state.model;
  if (narrowsWorkload(state.workload)) {
    const [isl, osl] = state.workload.split("/").map(Number);
    if (Number.isInteger(isl)) filter.isl = isl;
    if (Number.isInteger(osl)) filter.osl = osl;
  }
  if (state.kind.length > 0) filter.workload = state.kind;
  if (state.hardware.length > 0) filter.hardware = state.hardware;
  if (state.framework.length > 0) filter.framework = state.framework;
  if (state.precision.length > 0) filter.precision = state.precision;
  if (state.spec.length > 0) filter.spec = state.spec;
  if (state.disagg !== "any") filter.disaggregated = state.disagg === "disagg";
  if (state.source.length > 0) filter.source = state.source;
  if (state.asOf) filter.dateTo = state.asOf;
  return filter;
}

/** The distinct values of each filterable dimension among the items (sorted), to fill the filter controls. */
export interface FilterOptions {
  model: string[];
  workload: string[];
  /** workload kinds (core's workloadKind) */
  kind: string[];
  hardware: string[];
  framework: string[];
  precision: string[];
  spec: string[];
  dates: string[];
}

/** Collects the filter choices offered by a set of points. */
export function filterOptions(items: readonly Item[]): FilterOptions {
  const sets = {
    model: new Set<string>(),
    workload: new Set<string>(),
    kind: new Set<string>(),
    hardware: new Set<string>(),
    framework: new Set<string>(),
    precision: new Set<string>(),
    spec: new Set<string>(),
    dates: new Set<string>(),
  };
  for (const { point: p } of items) {
    sets.model.add(p.config.model);
    sets.workload.add(`${p.config.workload.isl}/${p.config.workload.osl}`);
    sets.kind.add(workloadKind(p.config.workload));
    sets.hardware.add(p.config.hardware);
    sets.framework.add(p.config.framework);
    sets.precision.add(p.config.precision);
    sets.spec.add(p.config.specDecoding.method);
    sets.dates.add(p.run.date.slice(0, 10));
  }
  const byWorkload = (a: string, b: string) => {
    const [ai, ao] = a.split("/").map(Number);
    const [bi, bo] = b.split("/").map(Number);
    return ai! - bi! || ao! - bo!;
  };
  return {
    model: [...sets.model].sort(),
    workload: [...sets.workload].sort(byWorkload),
    kind: [...sets.kind].sort(),
    hardware: [...sets.hardware].sort(),
    framework: [...sets.framework].sort(),
    precision: [...sets.precision].sort(),
    spec: [...sets.spec].sort(),
    dates: [...sets.dates].sort(),
  };
}
