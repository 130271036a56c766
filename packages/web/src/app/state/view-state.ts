import {
  DEFAULT_GROUP_DIMENSIONS,
  PointSource,
  PRICE_TIERS,
  type PriceTier,
} from "@infermark/core";

/** The dashboard's views. */
export const VIEWS = ["frontier", "compare", "trends", "run"] as const;
export type View = (typeof VIEWS)[number];

/** The x metrics a frontier can be drawn against (core metric ids). */
export const X_METRICS = ["intvty", "e2el", "ttft"] as const;
export type XMetricId = (typeof X_METRICS)[number];

/** The y metrics the dashboard offers (core metric ids, METRICS.md). */
export const Y_METRIC_IDS = [
  "tputPerGpu",
  "inputTputPerGpu",
  "outputTputPerGpu",
  "costPerMillionTotal",
  "costPerMillionInput",
  "costPerMillionOutput",
  "jPerToken",
  "provisionedJPerToken",
  "tokensPerSecPerMw",
] as const;
export type YMetricId = (typeof Y_METRIC_IDS)[number];

/** A price tier of the catalog, or the user's own $ per GPU-hour. */
export type TierChoice = PriceTier | "custom";
export const TIER_CHOICES: readonly TierChoice[] = [...PRICE_TIERS, "custom"];

export type DisaggChoice = "any" | "agg" | "disagg";

/**
 * How the frontier view draws the groups the filters keep: each configuration's frontier ("all"), or each GPU's
 * best, the upper envelope of its configurations ("best", `best-per-gpu.ts`).
 */
export const LINES = ["all", "best"] as const;
export type Lines = (typeof LINES)[number];
export type Theme = "light" | "dark";

/** Everything a view shows, and nothing else: a link with this state reproduces the view. */
export interface ViewState {
  view: View;
  x: XMetricId;
  y: YMetricId;
  tier: TierChoice;
  /** $ per GPU-hour when tier is custom */
  price: number;
  xLog: boolean;
  yLog: boolean;
  model: string[];
  /**
   * "isl/osl", or ALL_WORKLOADS ("all") for every workload. Empty: none chosen (a link without `workload`); the
   * dashboard then shows its first workload, and the analysis functions read it as every workload.
   */
  workload: string;
  /** workload kinds as groups name them (random, session x4, ...); empty: every kind */
  kind: string[];
  hardware: string[];
  framework: string[];
  precision: string[];
  spec: string[];
  disagg: DisaggChoice;
  source: PointSource[];
  /**
   * only points marked valid (metrics.md, Validity), as the CLI's `--valid-only`: a scope filter, applied before
   * "latest" is taken (the latest valid point of each configuration and load level)
   */
  validOnly: boolean;
  /** show the latest point of each configuration as of this day (YYYY-MM-DD); empty: today */
  asOf: string;
  /** group keys hidden through the legend */
  hidden: string[];
  frontierOnly: boolean;
  /** the frontier view's lines: every configuration, or the best per GPU (a link without filters: `firstView`) */
  lines: Lines;
  /** target interactivity (tok/s/user) of the compare and trends views */
  target: number;
  /** group keys of the two bars whose ratio is shown (compare) */
  pair: string[];
  /** show the compare view as a table */
  table: boolean;
  /** point id of the run detail view */
  run: string;
  theme: Theme;
}

/** The ISL/OSL choice "all": kept in the URL (`workload=all`), so a reload does not fall back to the first workload. */
export const ALL_WORKLOADS = "all";

/** Whether a state's workload choice narrows the points (an "isl/osl"; not empty, not ALL_WORKLOADS). */
export const narrowsWorkload = (workload: string) => workload !== "" && workload !== ALL_WORKLOADS;

/** The state of a fresh dashboard. */
export const DEFAULT_STATE: Readonly<ViewState> = Object.freeze({
  view: "frontier",
  x: "intvty",
  y: "tputPerGpu",
  tier: "hyperscaler",
  price: 2,
  xLog: false,
  yLog: false,
  model: [],
  workload: "",
  kind: [],
  hardware: [],
  framework: [],
  precision: [],
  spec: [],
  disagg: "any",
  source: [],
  validOnly: false,
  asOf: "",
  hidden: [],
  frontierOnly: false,
  lines: "all",
  target: 50,
  pair: [],
  table: false,
  run: "",
  theme: "light",
}) as ViewState;

type Kind = "enum" | "bool" | "number" | "list" | "string" | "day" | "workload";

const FIELDS: Record<keyof ViewState, { kind: Kind; values?: readonly string[] }> = {
  view: { kind: "enum", values: VIEWS },
  x: { kind: "enum", values: X_METRICS },
  y: { kind: "enum", values: Y_METRIC_IDS },
  tier: { kind: "enum", values: TIER_CHOICES },
  price: { kind: "number" },
  xLog: { kind: "bool" },
  yLog: { kind: "bool" },
  model: { kind: "list" },
  workload: { kind: "workload" },
  kind: { kind: "list" },
  hardware: { kind: "list" },
  framework: { kind: "list" },
  precision: { kind: "list" },
  spec: { kind: "list" },
  disagg: { kind: "enum", values: ["any", "agg", "disagg"] },
  source: { kind: "list", values: PointSource.options },
  validOnly: { kind: "bool" },
  asOf: { kind: "day" },
  hidden: { kind: "list" },
  frontierOnly: { kind: "bool" },
  lines: { kind: "enum", values: LINES },
  target: { kind: "number" },
  pair: { kind: "list" },
  table: { kind: "bool" },
  run: { kind: "string" },
  theme: { kind: "enum", values: ["light", "dark"] },
};

/** A calendar day written YYYY-MM-DD (2026-02-30 is none). */
const isDay = (v: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
};

/** An ISL/OSL choice: "isl/osl" in whole tokens, or ALL_WORKLOADS. */
const isWorkload = (v: string) => v === ALL_WORKLOADS || /^\d+\/\d+$/.test(v);

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Encodes a state as URL parameters (for the location hash), leaving defaults out so links stay short.
 * Lists are comma-separated; values are percent-encoded by URLSearchParams.
 * @example encodeState({ ...DEFAULT_STATE, y: "costPerMillionTotal" }) // "y=costPerMillionTotal"
 */
export function encodeState(state: ViewState): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(FIELDS) as (keyof ViewState)[]) {
    const value = state[key];
    const fallback = DEFAULT_STATE[key];
    if (Array.isArray(value)) {
      if (!sameList(value, fallback as string[])) params.set(key, value.join(","));
    } else if (value !== fallback) params.set(key, String(value));
  }
  return params.toString();
}

const WORKLOAD_AT = DEFAULT_GROUP_DIMENSIONS.indexOf("workload");

/**
 * A group key of a link made before the workload kind was a group dimension (`dsr1|1024|1024|b200|...`, one part
 * fewer) as groups are keyed now (`dsr1|1024|1024|random|b200|...`): such a link's groups were random-workload
 * ones (or pooled the kinds, of which random is the one InferenceX measures), so a hidden group or a compare
 * pair of an old link still finds its group.
 * @example upgradeGroupKey("dsr1|1024|1024|b200|trt|fp4|mtp|disagg") // "dsr1|1024|1024|random|b200|trt|fp4|mtp|disagg"
 */
export function upgradeGroupKey(key: string): string {
  const parts = key.split("|");
  if (parts.length !== DEFAULT_GROUP_DIMENSIONS.length - 1) return key;
  return [...parts.slice(0, WORKLOAD_AT), "random", ...parts.slice(WORKLOAD_AT)].join("|");
}

/** The fields that hold group keys. */
const GROUP_KEY_FIELDS: ReadonlySet<string> = new Set([
  "hidden",
  "pair",
] satisfies (keyof ViewState)[]);

/**
 * Decodes URL parameters (a location hash with or without `#`) into a state. Unknown keys and values that do not
 * fit a field are ignored (the default stays), so an old or hand-edited link still opens.
 * @example decodeState("#view=compare&target=75").target // 75
 */
export function decodeState(hash: string): ViewState {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const state: ViewState = structuredClone({ ...DEFAULT_STATE });
  const out = state as unknown as Record<string, unknown>;
  for (const [key, raw] of params) {
    const field = FIELDS[key as keyof ViewState];
    if (!field) continue;
    switch (field.kind) {
      case "enum":
        if (field.values?.includes(raw)) out[key] = raw;
        break;
      case "bool":
        if (raw === "true" || raw === "false") out[key] = raw === "true";
        break;
      case "number": {
        const n = Number(raw);
        if (raw !== "" && Number.isFinite(n) && n > 0) out[key] = n;
        break;
      }
      case "list": {
        const items = raw.split(",").filter((v) => v !== "");
        out[key] = field.values
          ? items.filter((v) => field.values?.includes(v))
          : GROUP_KEY_FIELDS.has(key)
            ? items.map(upgradeGroupKey)
            : items;
        break;
      }
      case "string":
        out[key] = raw;
        break;
      // the API refuses a day that is none (a cut link's `asOf=2026-02-3`): the dashboard would not open
      case "day":
        if (isDay(raw)) out[key] = raw;
        break;
      case "workload":
        if (isWorkload(raw)) out[key] = raw;
        break;
    }
  }
  return state;
}

/** The fields that set how a chart looks, not what it shows: a link with no other field opens the first view. */
const LOOK_FIELDS: ReadonlySet<string> = new Set([
  "view",
  "x",
  "y",
  "tier",
  "price",
  "xLog",
  "yLog",
  "target",
  "table",
  "theme",
] satisfies (keyof ViewState)[]);

/**
 * Whether a link (a location hash) opens the dashboard's first view: it names no filter, hidden group, pair, run,
 * date or lines choice, only how the chart looks (`#`, `#y=costPerMillionTotal`). Such a link draws the best per
 * GPU (`firstView`); a link with a filter shows every configuration it keeps, as it always has.
 * @example opensFirstView("#y=jPerToken") // true; opensFirstView("#hardware=h200") // false
 */
export function opensFirstView(hash: string): boolean {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  return [...params.keys()].every((key) => LOOK_FIELDS.has(key) || !(key in FIELDS));
}

/**
 * The first view of a state decoded from a link that `opensFirstView`: one line per GPU, its best over every
 * configuration, so the chart reads at once (60 groups in 9 colours did not); the Lines control shows the choice.
 */
export const firstView = (state: ViewState): ViewState => ({ ...state, lines: "best" });

/** Whether a state narrows the configurations: a model, kind, GPU, framework, precision, spec, disagg or source filter. */
export const narrowsConfigurations = (s: ViewState) =>
  s.model.length + s.kind.length + s.hardware.length + s.framework.length + s.precision.length >
    0 ||
  s.spec.length > 0 ||
  s.disagg !== "any" ||
  s.source.length > 0;
