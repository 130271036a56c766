import { DASH_ARRAYS, type GroupStyle, SYMBOL_PATHS, styleKey } from "../logic/group-styles.js";

const SVG = "http://www.w3.org/2000/svg";

/** A glyph's size: the marker in a 10 px box on the left, then the line to the right of it. */
export const GLYPH = { width: 32, height: 12, symbol: 10, lineFrom: 12 } as const;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/**
 * A group's look as a legend glyph (SVG): its marker and a stretch of its line in its dash, in its color, as the
 * chart draws the group. `data-style` holds the style's key.
 */
export function styleGlyph(style: GroupStyle): SVGSVGElement {
  const { width, height, symbol, lineFrom } = GLYPH;
  const glyph = svg("svg", {
    class: "swatch",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    "aria-hidden": "true",
    "data-style": styleKey(style),
  });
  const dash = DASH_ARRAYS[style.dash];
  glyph.append(
    svg("line", {
      x1: lineFrom,
      y1: height / 2,
      x2: width,
      y2: height / 2,
      stroke: style.color,
      "stroke-width": 2,
      ...(dash.length > 0 ? { "stroke-dasharray": dash.join(" ") } : {}),
    }),
    svg("path", {
      d: SYMBOL_PATHS[style.symbol],
      fill: style.color,
      transform: `translate(0 ${(height - symbol) / 2})`,
    }),
  );
  return glyph;
}
