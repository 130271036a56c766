/**
 * How the charts tell groups apart: a color per GPU (the same GPU is the same color in every view and on every
 * load, as InferenceX colors its charts by GPU), and within one color a marker symbol and a line dash per group;
 * the groups of one GPU shown alone take a color each (`groupStyles`).
 */

/** A group's look: its GPU's color, its marker symbol and its line dash. */
export interface GroupStyle {
  color: string;
  symbol: SymbolName;
  dash: DashName;
}

export type SymbolName =
  | "circle"
  | "square"
  | "triangle"
  | "diamond"
  | "triangle-down"
  | "plus"
  | "cross"
  | "star";

/**
 * Each marker in a 10 x 10 box: a circle (centre 5,5, radius 5) or a polygon. The chart draws it as SVG path data
 * (`SYMBOL_PATHS`, ECharts' `path://`), the exported image's legend as an ECharts circle or polygon.
 */
export const SYMBOL_SHAPES: Record<SymbolName, "circle" | readonly (readonly [number, number])[]> =
  {
    circle: "circle",
    square: [
      [1, 1],
      [9, 1],
      [9, 9],
      [1, 9],
    ],
    triangle: [
      [5, 0],
      [10, 9],
      [0, 9],
    ],
    diamond: [
      [5, 0],
      [10, 5],
      [5, 10],
      [0, 5],
    ],
    "triangle-down": [
      [0, 1],
      [10, 1],
      [5, 10],
    ],
    plus: [
      [3.5, 0],
      [6.5, 0],
      [6.5, 3.5],
      [10, 3.5],
      [10, 6.5],
      [6.5, 6.5],
      [6.5, 10],
      [3.5, 10],
      [3.5, 6.5],
      [0, 6.5],
      [0, 3.5],
      [3.5, 3.5],
    ],
    cross: [
      [0, 2],
      [2, 0],
      [5, 3],
      [8, 0],
      [10, 2],
      [7, 5],
      [10, 8],
      [8, 10],
      [5, 7],
      [2, 10],
      [0, 8],
      [3, 5],
    ],
    star: [
      [5, 0],
      [6.2, 3.4],
      [9.8, 3.5],
      [6.9, 5.7],
      [7.9, 9.2],
      [5, 7.1],
      [2.1, 9.2],
      [3.1, 5.7],
      [0.2, 3.5],
      [3.8, 3.4],
    ],
  };

/** Each marker as SVG path data in its 10 x 10 box. */
export const SYMBOL_PATHS = Object.fromEntries(
  Object.entries(SYMBOL_SHAPES).map(([name, shape]) => [
    name,
    shape === "circle"
      ? "M5,0A5,5,0,1,1,5,10A5,5,0,1,1,5,0Z"
      : `M${shape.map(([x, y]) => `${x},${y}`).join("L")}Z`,
  ]),
) as Record<SymbolName, string>;

export type DashName = "solid" | "dashed" | "dotted" | "dash-dot";

/** Each line dash as a dash array in px (solid: none), for ECharts' lineStyle.type and SVG's stroke-dasharray. */
export const DASH_ARRAYS: Record<DashName, readonly number[]> = {
  solid: [],
  dashed: [7, 4],
  dotted: [2, 3],
  "dash-dot": [8, 3, 2, 3],
};

const SYMBOLS = Object.keys(SYMBOL_SHAPES) as SymbolName[];
const DASHES = Object.keys(DASH_ARRAYS) as DashName[];

/**
 * The color of each GPU of the built-in catalog: fixed, so a GPU keeps its color whatever else is shown
 * (d3's category10).
 */
export const HARDWARE_COLORS: Readonly<Record<string, string>> = {
  b200: "#1f77b4",
  b300: "#ff7f0e",
  gb200: "#2ca02c",
  gb300: "#d62728",
  h100: "#9467bd",
  h200: "#8c564b",
  mi300x: "#e377c2",
  mi325x: "#7f7f7f",
  mi355x: "#bcbd22",
};

/** Colors of GPUs the table lacks (a catalog override's): chosen by a hash of the key, so stable too. */
const OTHER_COLORS = [
  "#17becf",
  "#393b79",
  "#e7969c",
  "#637939",
  "#ad494a",
  "#6baed6",
  "#fd8d3c",
  "#74c476",
  "#9e9ac8",
  "#c49c94",
];

/** A GPU's color: its fixed one, or one of the others by a hash of its key (FNV-1a). */
export function hardwareColor(hardware: string): string {
  const fixed = HARDWARE_COLORS[hardware];
  if (fixed) return fixed;
  let hash = 0x811c9dc5;
  for (let i = 0; i < hardware.length; i++) {
    hash ^= hardware.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return OTHER_COLORS[(hash >>> 0) % OTHER_COLORS.length]!;
}

/** A color `step` shades away: darker on odd steps, lighter on even ones, further each pair. */
function shade(color: string, step: number): string {
  if (step === 0) return color;
  const amount = Math.min(0.8, 0.25 * Math.ceil(step / 2));
  const to = step % 2 === 1 ? 0 : 255;
  const channel = (i: number) => {
    const v = Number.parseInt(color.slice(1 + 2 * i, 3 + 2 * i), 16);
    return Math.round(v + (to - v) * amount)
      .toString(16)
      .padStart(2, "0");
  };
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}

/**
 * The n-th look within one color: symbols change first and the dash with them (n and n + 8 differ in dash), so the
 * first 32 groups of a color differ in (symbol, dash) and every group's line differs from its neighbours'; past 32
 * the color is shaded.
 */
function variant(color: string, n: number): GroupStyle {
  const perColor = SYMBOLS.length * DASHES.length;
  const k = n % perColor;
  const round = Math.floor(k / SYMBOLS.length);
  return {
    color: shade(color, Math.floor(n / perColor)),
    symbol: SYMBOLS[k % SYMBOLS.length]!,
    dash: DASHES[(k + round) % DASHES.length]!,
  };
}

/**
 * The look of each group a view shows, hidden ones included (a legend toggle restyles nothing): its GPU's color, and
 * a (symbol, dash) that differs from every other shown group of that color, in the groups' order. No two groups
 * share (color, symbol, dash). When every group is on one GPU (a GPU filter, or your H200 runs next to InferenceX's
 * H200 rows) the GPU's color tells nothing apart (the subtitle names the GPU): the groups take the colors of
 * `oneGpuPalette` in turn, the first its GPU's color, darker then lighter shades of them past ten (compare bars
 * show no marker), each with the marker and dash it has in one color.
 * @example groupStyles([{ key: "k", dims: { hardware: "h200" } }]).get("k") // { color: "#8c564b", symbol: "circle", dash: "solid" }
 */
export function groupStyles(
  groups: readonly { key: string; dims: { hardware?: string } }[],
): Map<string, GroupStyle> {
  const out = new Map<string, GroupStyle>();
  const gpus = new Set(groups.map((g) => g.dims.hardware ?? ""));
  if (gpus.size === 1 && groups.length > 1) {
    const palette = oneGpuPalette([...gpus][0]!);
    groups.forEach((g, n) => {
      const look = variant(palette[0]!, n);
      const color = shade(palette[n % palette.length]!, Math.floor(n / palette.length));
      out.set(g.key, { ...look, color });
    });
    return out;
  }
  const count = new Map<string, number>();
  for (const g of groups) {
    const color = hardwareColor(g.dims.hardware ?? "");
    const n = count.get(color) ?? 0;
    count.set(color, n + 1);
    out.set(g.key, variant(color, n));
  }
  return out;
}

/**
 * The colors of the groups of one GPU shown alone: its own first, then d3's category10 (the other GPUs' colors and
 * its tenth), ten in all.
 * @example oneGpuPalette("h200")[0] // "#8c564b"
 */
export function oneGpuPalette(hardware: string): string[] {
  const own = hardwareColor(hardware);
  const rest = [...Object.values(HARDWARE_COLORS), "#17becf"].filter((c) => c !== own);
  return [own, ...rest].slice(0, 10);
}

/** A style's key: groups with equal keys look the same. */
export const styleKey = (s: GroupStyle) => `${s.color}|${s.symbol}|${s.dash}`;

/** ECharts' symbol for a marker. */
export const echartsSymbol = (symbol: SymbolName) => `path://${SYMBOL_PATHS[symbol]}`;

/** ECharts' lineStyle.type for a dash. */
export const echartsDash = (dash: DashName): "solid" | number[] =>
  dash === "solid" ? "solid" : [...DASH_ARRAYS[dash]];

/** The look of a group without a style (not painted): grey, circle, solid. */
export const FALLBACK_STYLE: GroupStyle = { color: "#888888", symbol: "circle", dash: "solid" };
