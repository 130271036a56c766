import { PRICE_TIERS } from "@infermark/core";
import { isCostMetric, X_CHOICES, Y_CHOICES } from "../logic/metrics.js";
import { offeredChoices } from "../logic/offered-choices.js";
import type { FilterOptions } from "../logic/select-points.js";
import {
  ALL_WORKLOADS,
  type DisaggChoice,
  type Lines,
  narrowsConfigurations,
  type TierChoice,
  type ViewState,
  type XMetricId,
  type YMetricId,
} from "../state/view-state.js";
import { checkboxControl, h, multiControl, selectControl } from "./dom.js";
import type { Act } from "./view-context.js";

/**
 * The panel of chart settings and filters beside the chart: the axes, price tier, target interactivity and the
 * point filters the view uses, each showing `state` and changing it through `act`. Hidden in the run detail view.
 */
export function controlsPanel(state: ViewState, options: FilterOptions, act: Act): HTMLElement {
  const s = state;
  const o = options;
  const set = (id: string) => (patch: Partial<ViewState>) => act(id, patch);
  // filtering the best per GPU of every configuration (the first view) shows every configuration the filter keeps:
  // the engineer who checks their GPU sees its configurations, not one line
  const narrow = (id: string, patch: Partial<ViewState>) =>
    act(
      id,
      s.lines === "best" && !narrowsConfigurations(s) && narrowsConfigurations({ ...s, ...patch })
        ? { ...patch, lines: "all" }
        : patch,
    );
  const aside = h("aside", { "aria-label": "Chart settings and filters", class: "controls" });
  if (s.view === "run") {
    aside.hidden = true;
    return aside;
  }
  const yChoices = Y_CHOICES.map((c) => ({ value: c.id, label: c.label, title: c.title }));
  aside.append(selectControl("y", "Y axis", yChoices, s.y, (v) => set("y")({ y: v as YMetricId })));
  if (s.view === "frontier") {
    aside.append(
      selectControl(
        "x",
        "X axis",
        X_CHOICES.map((c) => ({ value: c.id, label: c.label, title: c.title })),
        s.x,
        (v) => set("x")({ x: v as XMetricId }),
      ),
      checkboxControl("xlog", "Log x axis", s.xLog, (v) => set("xlog")({ xLog: v })),
      checkboxControl("ylog", "Log y axis", s.yLog, (v) => set("ylog")({ yLog: v })),
      frontierOnlyControl(s, set("frontier-only")),
    );
  }
  if (isCostMetric(s.y)) {
    const tiers = [...PRICE_TIERS, "custom"].map((t) => ({
      value: t,
      label: t === "custom" ? "custom $/GPU-h" : t,
    }));
    aside.append(
      selectControl("tier", "Price tier", tiers, s.tier, (v) =>
        set("tier")({ tier: v as TierChoice }),
      ),
    );
    if (s.tier === "custom") {
      const input = h("input", {
        type: "number",
        id: "price",
        min: "0.01",
        step: "0.01",
        value: String(s.price),
      });
      input.addEventListener("change", () => {
        const n = Number(input.value);
        // a price of 0, below or none is not taken: show the one in effect again
        if (n > 0 && Number.isFinite(n)) set("price")({ price: n });
        else input.value = String(s.price);
      });
      aside.append(
        h(
          "div",
          { class: "control" },
          h("label", { for: "price", text: "Custom price ($ per GPU-hour)" }),
          input,
        ),
      );
    }
  }
  if (s.view === "compare" || s.view === "trends") aside.append(targetControl(s, act));
  // a link's choice the store lacks is offered too: the control shows the filter in effect
  const workloads = [
    { value: ALL_WORKLOADS, label: "all" },
    ...offeredChoices(o.workload, s.workload === ALL_WORKLOADS ? [] : [s.workload]).map((w) => ({
      value: w,
      label: w,
    })),
  ];
  if (s.view === "frontier")
    aside.append(
      selectControl(
        "lines",
        "Lines",
        [
          { value: "best", label: "best per GPU" },
          { value: "all", label: "every configuration" },
        ],
        s.lines,
        (v) => set("lines")({ lines: v as Lines }),
      ),
    );
  aside.append(
    selectControl("workload", "ISL/OSL", workloads, s.workload, (v) =>
      set("workload")({ workload: v }),
    ),
  );
  // a multi control's checkboxes have their own ids: focus stays on the one changed
  const multi = (
    key: "kind" | "model" | "hardware" | "framework" | "precision" | "spec",
    label: string,
  ) =>
    multiControl(`f-${key}`, label, offeredChoices(o[key], s[key]), s[key], (v) =>
      narrow(document.activeElement?.id ?? "", { [key]: v } as Partial<ViewState>),
    );
  // offered when the points hold more than one kind (InferenceX's are all random), or a link chose one
  if (o.kind.length > 1 || s.kind.length > 0) aside.append(multi("kind", "Workload kind"));
  aside.append(
    multi("model", "Model"),
    multi("hardware", "GPU"),
    multi("framework", "Framework"),
    multi("precision", "Precision"),
    multi("spec", "Speculative decoding"),
    selectControl(
      "disagg",
      "Disaggregation",
      [
        { value: "any", label: "any" },
        { value: "agg", label: "aggregated" },
        { value: "disagg", label: "disaggregated" },
      ],
      s.disagg,
      (v) => narrow("disagg", { disagg: v as DisaggChoice }),
    ),
    multiControl("f-source", "Source", ["measured", "imported", "simulated"], s.source, (v) =>
      narrow(document.activeElement?.id ?? "", { source: v as ViewState["source"] }),
    ),
    validOnlyControl(s, set("valid-only")),
  );
  if (s.view !== "trends")
    aside.append(
      selectControl(
        "asof",
        "As of date",
        [
          { value: "", label: "latest" },
          ...offeredChoices(o.dates, [s.asOf])
            .sort()
            .reverse()
            .map((d) => ({ value: d, label: d })),
        ],
        s.asOf,
        (v) => set("asof")({ asOf: v }),
      ),
    );
  return aside;
}

/** The target interactivity: a slider up to 400 tok/s/user and a number field for any exact value. */
function targetControl(s: ViewState, act: Act): HTMLElement {
  const range = h("input", {
    type: "range",
    id: "target",
    min: "1",
    max: "400",
    step: "1",
    value: String(Math.min(400, s.target)),
    "aria-valuetext": `${s.target} tokens per second per user`,
  });
  const num = h("input", {
    type: "number",
    id: "target-num",
    min: "0.1",
    step: "any",
    value: String(s.target),
    "aria-label": "Target interactivity, exact value",
  });
  range.addEventListener("change", () => act("target", { target: Number(range.value) }));
  range.addEventListener("input", () => {
    num.value = range.value;
  });
  num.addEventListener("change", () => {
    const n = Number(num.value);
    // a target of 0, below or none is not taken: show the one in effect again
    if (n > 0 && Number.isFinite(n)) act("target-num", { target: n });
    else num.value = String(s.target);
  });
  return h(
    "div",
    { class: "control" },
    h("label", { for: "target", text: "Target interactivity (tok/s/user)" }),
    range,
    num,
  );
}

/** "Hide points off the frontier": checked and disabled in the best per GPU, which draws only the envelopes' points. */
function frontierOnlyControl(s: ViewState, set: (patch: Partial<ViewState>) => void): HTMLElement {
  const best = s.lines === "best";
  const control = checkboxControl(
    "frontier-only",
    "Hide points off the frontier",
    best || s.frontierOnly,
    (v) => set({ frontierOnly: v }),
  );
  if (best) {
    const input = control.querySelector("input")!;
    input.disabled = true;
    control.title = "The best per GPU draws only the points on each GPU's envelope";
  }
  return control;
}

/**
 * "Valid points only": the CLI's `--valid-only`, off by default as there (invalid points are drawn, their reasons
 * in the tooltip); its title says what makes a point invalid.
 */
function validOnlyControl(s: ViewState, set: (patch: Partial<ViewState>) => void): HTMLElement {
  const control = checkboxControl("valid-only", "Valid points only", s.validOnly, (v) =>
    set({ validOnly: v }),
  );
  control.title =
    "Leave out points marked invalid (a server that ignored max_tokens, a saturated client, a level answered from the prefix cache, too many errors), as --valid-only does in the CLI";
  return control;
}
