/** One group in the legend of an exported image: its label and color. */
export interface LegendEntry {
  label: string;
  color: string;
}

/** An exported image's legend: ECharts `graphic` elements laid out under the chart, and the height they take. */
export interface ExportLegend {
  // biome-ignore lint/suspicious/noExplicitAny: ECharts graphic elements are loosely typed JSON
  elements: Record<string, any>[];
  height: number;
}

const PAD = 12;
const ROW = 18;
const SWATCH = 10;
/** about the width of a character of the 12 px label font: sizes the columns without measuring text */
const CHAR = 7;

/**
 * The legend an exported chart carries (the dashboard's legend is HTML buttons, which an image of the chart does
 * not show): a swatch and the label of each entry, in columns as wide as the longest label, rows below `top`.
 * Labels too long for the width are cut with an ellipsis.
 * @example exportLegend([{ label: "h200 sglang", color: "#0072B2" }], 960, 520, "#333").height // 30
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
    return [
      {
        type: "rect",
        x,
        y: y + (ROW - SWATCH) / 2,
        shape: { width: SWATCH, height: SWATCH },
        style: { fill: e.color },
        silent: true,
      },
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
