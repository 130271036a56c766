import { ALL_WORKLOADS, narrowsWorkload, type ViewState } from "../state/view-state.js";

/** A filter that narrows a view: its control's name, what it keeps, and the state change that removes it. */
export interface ActiveFilter {
  label: string;
  values: string;
  clear: Partial<ViewState>;
  /**
   * true for a filter of the loaded point set (source, "as of" date), which the browser cannot try without
   * loading another set; false for a group dimension
   */
  scope: boolean;
}

const LISTS = [
  ["model", "Model"],
  ["hardware", "GPU"],
  ["framework", "Framework"],
  ["precision", "Precision"],
  ["spec", "Speculative decoding"],
] as const;

/**
 * The filters of a state that narrow its view, in the order of the controls: what an empty view lists, each with
 * the change that widens it.
 * @example activeFilters({ ...DEFAULT_STATE, hardware: ["h100"] }) // [{ label: "GPU", values: "h100", clear: { hardware: [] }, scope: false }]
 */
export function activeFilters(state: ViewState): ActiveFilter[] {
  const out: ActiveFilter[] = [];
  if (narrowsWorkload(state.workload))
    out.push({
      label: "ISL/OSL",
      values: state.workload,
      clear: { workload: ALL_WORKLOADS },
      scope: false,
    });
  if (state.kind.length > 0)
    out.push({
      label: "Workload kind",
      values: state.kind.join(", "),
      clear: { kind: [] },
      scope: false,
    });
  for (const [key, label] of LISTS)
    if (state[key].length > 0)
      out.push({ label, values: state[key].join(", "), clear: { [key]: [] }, scope: false });
  if (state.disagg !== "any")
    out.push({
      label: "Disaggregation",
      values: state.disagg === "agg" ? "aggregated" : "disaggregated",
      clear: { disagg: "any" },
      scope: false,
    });
  if (state.source.length > 0)
    out.push({
      label: "Source",
      values: state.source.join(", "),
      clear: { source: [] },
      scope: true,
    });
  if (state.validOnly)
    out.push({
      label: "Valid points only",
      values: "on",
      clear: { validOnly: false },
      scope: true,
    });
  // the trends view shows every date: it has no "as of" filter
  if (state.asOf && state.view !== "trends")
    out.push({ label: "As of date", values: state.asOf, clear: { asOf: "" }, scope: true });
  return out;
}
