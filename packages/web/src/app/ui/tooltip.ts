import {
  energyRows,
  type PointResult,
  pointMetadata,
  serverMetricRows,
  type WorkerPool,
  workloadKind,
} from "@infermark/core";
import { FLAG_TITLE, flagOf, flagText } from "../logic/flagged-points.js";
import { plural } from "../logic/plural.js";
import type { Item } from "../logic/types.js";
import { DEFAULT_STATE, encodeState, type ViewState } from "../state/view-state.js";
import { esc, fmt, loadText } from "./format.js";

const pool = (w: WorkerPool) =>
  `TP${w.tp ?? 1}${(w.pp ?? 1) > 1 ? ` PP${w.pp}` : ""} EP${w.ep ?? 1}${w.dpAttention ? " DPA" : ""}${(w.workers ?? 1) > 1 ? ` ×${w.workers} workers` : ""}${w.gpus ? `, ${plural(w.gpus, "GPU")}` : ""}`;

/** The workload kind after the ISL/OSL, unless it is InferenceX's random one (` session x4`). */
const kindText = (w: PointResult["config"]["workload"]) => {
  const kind = workloadKind(w);
  return kind === "random" ? "" : ` ${kind}`;
};

/**
 * The parallelism of a topology: "prefill: ...; decode: ..." when disaggregated; the one pool of an aggregated
 * deployment (whose prefill and decode pools are the same workers) without those names.
 */
export function parallelism(t: PointResult["config"]["topology"]): string {
  if (!t.disaggregated) {
    const same = t.prefill && t.decode && pool(t.prefill) === pool(t.decode);
    if (same || !t.prefill || !t.decode) {
      const one = t.decode ?? t.prefill;
      return one ? pool(one) : "–";
    }
  }
  const named = [
    t.prefill ? `prefill: ${pool(t.prefill)}` : "",
    t.decode ? `decode: ${pool(t.decode)}` : "",
  ];
  return named.filter(Boolean).join("; ") || "–";
}

/**
 * The links of a point: its run detail view, with the settings of the view the tooltip is in (so the tabs lead
 * back to that view as it was; none in the run detail itself), and the original run (CI) where it is recorded.
 */
export function runLinks(item: Item, state: ViewState = DEFAULT_STATE): string {
  const p = item.point;
  const links: string[] = [];
  if (state.view !== "run") {
    const href = `#${encodeState({ ...state, view: "run", run: item.id })}`;
    links.push(`<a href="${esc(href)}">run detail</a>`);
  }
  if (p.run.ciUrl && /^https?:\/\//.test(p.run.ciUrl))
    links.push(
      `<a href="${esc(p.run.ciUrl)}" target="_blank" rel="noopener noreferrer">source run</a>`,
    );
  return links.join(" · ");
}

/** A flagged point's row (`flagOf`), next to its figures: what the check found, and that they are as published. */
function flagRow(p: PointResult): [string, string][] {
  const detail = flagOf(p);
  return detail === undefined ? [] : [[`× ${FLAG_TITLE}`, flagText(detail)]];
}

/**
 * The full configuration of a point as tooltip HTML, under its group's name as the legend gives it (`xy.group`);
 * `state`: the view it is shown in (its links keep it).
 */
export function pointTooltip(
  item: Item,
  xy: { xName: string; yName: string; x: number; y: number; group?: string },
  state?: ViewState,
): string {
  const p: PointResult = item.point;
  const c = p.config;
  const t = c.topology;
  const rows: [string, string][] = [
    [xy.yName, fmt(xy.y)],
    [xy.xName, fmt(xy.x)],
    ...flagRow(p),
    ["model", `${c.model} ${c.workload.isl}/${c.workload.osl}${kindText(c.workload)}`],
    [
      "hardware",
      `${c.hardware} × ${plural(t.gpus, "GPU")}${t.disaggregated ? ` (prefill ${t.prefillGpus}, decode ${t.decodeGpus})` : ""}`,
    ],
    ["framework", `${c.framework}${c.frameworkVersion ? ` ${c.frameworkVersion}` : ""}`],
    ["precision", c.precision],
    ["spec decoding", c.specDecoding.method],
    [
      "serving",
      `${t.disaggregated ? "disaggregated" : "aggregated"}${t.multinode ? ", multinode" : ""}`,
    ],
    ["parallelism", parallelism(t)],
    ["load", loadText(c.load, c.workload, false)],
    ["image", c.image ?? "–"],
    ["date", p.run.date],
    ["source", p.run.source],
  ];
  // measured energy and the server's own counters, as the console table gives them
  for (const r of [...energyRows(p), ...serverMetricRows(p)]) rows.push([r.label, r.value]);
  const metadata = pointMetadata(p);
  if (metadata !== undefined) rows.push(["metadata", metadata]);
  if (!p.validity.valid) rows.push(["invalid", p.validity.reasons.join("; ")]);
  const group = xy.group ? `<div class="tip-group">${esc(xy.group)}</div>` : "";
  return `${group}<table class="tip">${rows.map(([k, v]) => `<tr${k.startsWith("× ") ? ' class="flagged"' : ""}><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</table><div class="tip-links">${runLinks(item, state)}</div>`;
}
