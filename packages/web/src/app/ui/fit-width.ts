// biome-ignore lint/suspicious/noExplicitAny: ECharts options are loosely typed JSON
type Option = Record<string, any>;

/** The width a text takes in a CSS font (`bold 14px sans-serif`), in px: a canvas's `measureText` in the page. */
export type MeasureText = (text: string, font: string) => number;

/** The title's and subtitle's fonts and line heights, as `chart-options`' `base` draws them. */
export const TITLE_FONT = { font: "bold 14px sans-serif", lineHeight: 18 } as const;
export const SUBTITLE_FONT = { font: "12px sans-serif", lineHeight: 15 } as const;

/** Room left and right of a title: ECharts' title padding, and a margin so it never touches the edge. */
const TITLE_MARGIN = 24;

/**
 * A group label of the compare chart at 60 degrees takes about this much of the x axis (px): its line height over
 * sin 60°, with a little room between labels. Bars narrower than this cannot each show their label.
 */
export const ROTATED_LABEL_PX = 16;

/**
 * `text` broken into lines of at most `width` px at its spaces (a word wider than the line takes a line of its own).
 * @example breakLines("tput/GPU vs interactivity", 100, (t) => t.length * 8, "") // ["tput/GPU vs", "interactivity"]
 */
export function breakLines(
  text: string,
  width: number,
  measure: MeasureText,
  font: string,
): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    const next = line ? `${line} ${word}` : word;
    if (line && measure(next, font) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * What an option needs changed to fit a chart `width` px wide: a title or subtitle wider than the chart breaks into
 * lines at its spaces (ECharts clips it at both edges otherwise: on a phone, "tput/GPU (tok/s/GPU) vs interactivity
 * (tok/s/user, median)" lost both ends), with the plot moved down by the lines added; a compare chart shows every
 * n-th group label when its bars are narrower than a rotated label, instead of overprinting them.
 * The patch is computed from the view's own option (its unbroken title, its own grid top) and merged into it
 * (`setOption(patch)`), so a resize computes it again from that option.
 */
export function fitToWidth(option: Option, width: number, measure: MeasureText): Option {
  const patch: Option = {};
  const title = option.title;
  if (title && typeof title.text === "string") {
    const room = Math.max(80, width - TITLE_MARGIN);
    const text = breakLines(title.text, room, measure, TITLE_FONT.font);
    const subtext = breakLines(title.subtext ?? "", room, measure, SUBTITLE_FONT.font);
    patch.title = {
      text: text.join("\n"),
      subtext: subtext.join("\n"),
      textStyle: { lineHeight: TITLE_FONT.lineHeight },
      subtextStyle: { lineHeight: SUBTITLE_FONT.lineHeight },
    };
    const top = option.grid?.top;
    if (typeof top === "number") {
      const extra =
        Math.max(0, text.length - 1) * TITLE_FONT.lineHeight +
        Math.max(0, subtext.length - 1) * SUBTITLE_FONT.lineHeight;
      patch.grid = { top: top + extra };
    }
  }
  const xAxis = option.xAxis;
  if (xAxis && !Array.isArray(xAxis) && xAxis.type === "category" && Array.isArray(xAxis.data)) {
    const grid = option.grid ?? {};
    const plot = width - (typeof grid.left === "number" ? grid.left : 0) - (grid.right ?? 0);
    const perBar = plot / Math.max(1, xAxis.data.length);
    // ECharts' interval n shows one label in n + 1
    patch.xAxis = {
      axisLabel: { interval: Math.max(0, Math.ceil(ROTATED_LABEL_PX / perBar) - 1) },
    };
  }
  return patch;
}

/** Merges `patch` into `option` in place, member by member through plain objects, as `setOption` merges it. */
export function mergePatch(option: Option, patch: Option): Option {
  for (const [key, value] of Object.entries(patch)) {
    const into = option[key];
    const plain = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
    if (plain(value) && plain(into)) mergePatch(into, value);
    else option[key] = value;
  }
  return option;
}
