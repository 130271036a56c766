import type { ExportLegend } from "./export-legend.js";

const PAD = 12;
const LINE = 15;
/** a generous width of a character of the 11 px note font: the note's height is counted without measuring text */
const CHAR = 6.5;

/**
 * The data-source note of an exported chart (the catalog figures its cost or energy values use, as the page shows
 * under the chart) as an ECharts text element below `top`, wrapped to the image's width, and the height it takes
 * (counted generously, so the wrapped text always fits). No note: no element, no room.
 * @example exportNote("GPU prices, neocloud tier ($/GPU-h): h200 1.74 from ...", 960, 600, "#555").height // 27
 */
export function exportNote(
  note: string | undefined,
  width: number,
  top: number,
  textColor: string,
): ExportLegend {
  if (!note) return { elements: [], height: 0 };
  const room = Math.max(1, width - 2 * PAD);
  const lines = Math.max(1, Math.ceil((note.length * CHAR) / room));
  return {
    elements: [
      {
        type: "text",
        x: PAD,
        y: top + PAD / 2,
        style: {
          text: note,
          fill: textColor,
          fontSize: 11,
          lineHeight: LINE,
          width: room,
          overflow: "break",
        },
        silent: true,
      },
    ],
    height: lines * LINE + PAD,
  };
}
