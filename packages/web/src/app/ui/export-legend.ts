import { DASH_ARRAYS, type GroupStyle, SYMBOL_SHAPES } from "../logic/group-styles.js";
import { GLYPH } from "./style-glyph.js";

/** One group in the legend of an exported image: its label and look. */
export interface LegendEntry {
  label: string;
  style: GroupStyle;
}

/** An exported image's legend: ECharts `graphic` elements laid out under the chart, and the height they take. */
export interface ExportLegend {
  // biome-ignore lint/suspicious/noExplicitAny: ECharts graphic elements are loosely typed JSON
  elements: Record<string, any>[];
  height: number;
}

const PAD = 12;
const ROW = 18;
const SWATCH = GLYPH.width;
/** about the width of a character of the 12 px label font: sizes the columns without measuring text */
const CHAR = 7;

/**
 * The legend an exported chart carries (the dashboard's legend is HTML buttons, which an image of the chart does
 * not show): the glyph of each entry (its marker and a stretch of its line in its dash, as the HTML legend draws
 * it) and its label, in columns as wide as the longest label, rows below `top`. Labels too long for the width are
 * cut with an ellipsis.
 * @example exportLegend([{ label: "h200 sglang", style: FALLBACK_STYLE }], 960, 520, "#333").height // 30
 */
export function exportLegend(
  entries: readonly LegendEntry[],
  width: number,
  top: number,
  textColor: string,
): ExportLegend {
  if (entries.length === 0) return { elements: [], height: 0 };
  const room = Math.max(1, width - 2 * PAD);
  const longest = Math.max(...entries.map((e) => e.label.length));
  const column = Math.min(room, longest * CHAR + SWATCH + 16);
  const columns = Math.max(1, Math.floor(room / column));
  const rows = Math.ceil(entries.length / columns);
  const elements = entries.flatMap((e, i) => {
    const x = PAD + (i % columns) * column;
    const y = top + PAD / 2 + Math.floor(i / columns) * ROW;
    const mid = y + ROW / 2;
    return [
      {
        type: "line",
        shape: { x1: x + GLYPH.lineFrom, y1: mid, x2: x + GLYPH.width, y2: mid },
        style: { stroke: e.style.color, lineWidth: 2, lineDash: [...DASH_ARRAYS[e.style.dash]] },
        silent: true,
      },
      marker(e.style, x, mid - GLYPH.symbol / 2),
      {
        type: "text",
        x: x + SWATCH + 5,
        y: y + ROW / 2,
        style: {
          text: e.label,
          fill: textColor,
          fontSize: 12,
          verticalAlign: "middle",
          width: column - SWATCH - 9,
          overflow: "truncate",
        },
        silent: true,
      },
    ];
  });
  return { elements, height: rows * ROW + PAD };
}

/** A group's marker as an ECharts graphic element (a circle or a polygon), its 10 x 10 box at (x, y). */
function marker(style: GroupStyle, x: number, y: number) {
  const shape = SYMBOL_SHAPES[style.symbol];
  const half = GLYPH.symbol / 2;
  return {
    type: shape === "circle" ? "circle" : "polygon",
    shape:
      shape === "circle"
        ? { cx: x + half, cy: y + half, r: half }
        : { points: shape.map(([px, py]) => [x + px, y + py]) },
    style: { fill: style.color },
    silent: true,
  };
}
