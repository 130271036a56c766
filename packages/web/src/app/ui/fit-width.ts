// biome-ignore lint/suspicious/noExplicitAny: ECharts options are loosely typed JSON
type Option = Record<string, any>;

/** The width a text takes in a CSS font (`bold 14px sans-serif`), in px: a canvas's `measureText` in the page. */
export type MeasureText = (text: string, font: string) => number;

/** The title's and subtitle's fonts and line heights, as `chart-options`' `base` draws them. */
export const TITLE_FONT = { font: "bold 14px sans-serif", size: 14, lineHeight: 18 } as const;
export const SUBTITLE_FONT = { font: "12px sans-serif", size: 12, lineHeight: 15 } as const;

/** The title block's padding (px) at the chart's top edge, and the gap between the title and the subtitle. */
export const TITLE_PADDING = 5;
export const TITLE_GAP = 4;

/**
 * Room (px) between the title block's last line and the plot's top: the top tick label of the y axis, centred on
 * the plot's top edge, stands clear of the subtitle by about 10 px.
 */
const ROOM_ABOVE_PLOT = 16;

/**
 * The plot's top (the grid's `top`, px) under a title of `titleLines` lines and a subtitle of `subtitleLines`, the
 * title block drawn from the chart's top edge (`top: 0`, as `base` sets it: ECharts 6 puts it 15 px lower, where the
 * subtitle ran into the y axis' top label).
 * @example plotTop(1, 1) // 58
 */
export function plotTop(titleLines: number, subtitleLines: number): number {
  const subtitle = subtitleLines > 0 ? TITLE_GAP + subtitleLines * SUBTITLE_FONT.lineHeight : 0;
  return TITLE_PADDING + titleLines * TITLE_FONT.lineHeight + subtitle + ROOM_ABOVE_PLOT;
}

/** The compare bars' value labels: font, size and line height (px), as `compareOption` draws them. */
export const VALUE_LABEL_FONT = { font: "12px sans-serif", size: 12, lineHeight: 15 } as const;

/** Room left and right of a title: ECharts' title padding, and a margin so it never touches the edge. */
const TITLE_MARGIN = 24;

/**
 * The room (px) a group label of the compare chart drawn at `degrees` takes along the x axis: its line height (12
 * px at its 10 px font) over the sine of its angle, with a little room between labels. Bars narrower than this
 * cannot each show their label: 16 px at 60 degrees, 23 at 35 (where 16 px bars overprinted their labels).
 * @example rotatedLabelPx(60) // 16
 */
export const rotatedLabelPx = (degrees: number) =>
  Math.ceil(AXIS_LABEL_LINE / Math.sin((degrees * Math.PI) / 180)) + 2;
const AXIS_LABEL_LINE = 12;

/** `rotatedLabelPx` of the labels of a crowded compare chart, at 60 degrees. */
export const ROTATED_LABEL_PX = rotatedLabelPx(60);

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

/** What separates the parts of a chart's subtitle (`chartSubtitle`, `withProvenance`). */
const PART_SEPARATOR = " · ";

/**
 * A subtitle broken into lines of at most `width` px between its ` · ` parts, so that a part ("InferenceX,
 * measured") is never split over two lines where it fits on one; a part wider than a line breaks at its spaces
 * (`breakLines`) on lines of its own.
 * @example breakParts("dsr1 · ISL/OSL 1024/1024", 100, (t) => t.length * 8, "") // ["dsr1", "ISL/OSL", "1024/1024"]
 */
export function breakParts(
  text: string,
  width: number,
  measure: MeasureText,
  font: string,
): string[] {
  const lines: string[] = [];
  let line = "";
  for (const part of text.split(PART_SEPARATOR)) {
    if (part === "") continue;
    const next = line ? `${line}${PART_SEPARATOR}${part}` : part;
    if (measure(next, font) <= width) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    if (measure(part, font) <= width) line = part;
    else {
      lines.push(...breakLines(part, width, measure, font));
      line = "";
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * What an option needs changed to fit a chart `width` px wide: a title wider than the chart breaks into lines at its
 * spaces, a subtitle between its ` · ` parts (`breakParts`) (ECharts clips it at both edges otherwise: on a phone, "tput/GPU (tok/s/GPU) vs interactivity
 * (tok/s/user, median)" lost both ends), with the plot moved down by the lines added; a compare chart shows every
 * n-th group label when its bars are narrower than a rotated label, instead of overprinting them, and its value
 * labels level, upright or not at all, as the width of its bars leaves room (`fitValueLabels`).
 * The patch is computed from the view's own option (its unbroken title, its own grid top) and merged into it
 * (`setOption(patch)`), so a resize computes it again from that option.
 */
export function fitToWidth(option: Option, width: number, measure: MeasureText): Option {
  const patch: Option = {};
  const title = option.title;
  if (title && typeof title.text === "string") {
    const room = Math.max(80, width - TITLE_MARGIN);
    const text = breakLines(title.text, room, measure, TITLE_FONT.font);
    const subtext = breakParts(title.subtext ?? "", room, measure, SUBTITLE_FONT.font);
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
    const room = rotatedLabelPx(xAxis.axisLabel?.rotate || 60);
    patch.xAxis = { axisLabel: { interval: Math.max(0, Math.ceil(room / perBar) - 1) } };
    const values = fitValueLabels(option, perBar, measure);
    if (values) {
      patch.series = values.series;
      if (typeof option.grid?.top === "number")
        patch.grid = { top: (patch.grid?.top ?? option.grid.top) + values.above };
    }
  }
  return patch;
}

/** Room between a value label and the next bar's (px). */
const LABEL_GAP = 2;

/**
 * The bars' value labels placed within their own bar's slot of the axis, `perBar` px wide, so that none lies over a
 * neighbouring bar (hideOverlap only keeps labels off each other): level where the widest fits, else turned upright
 * where a line of text fits, else left out (the tooltip and the table give every value). Upright labels rise above
 * their bars by their width, not a line: `above` is how much further the plot moves down to keep the tallest one
 * under the title. Undefined for an option whose first series is no labelled bar series.
 */
function fitValueLabels(
  option: Option,
  perBar: number,
  measure: MeasureText,
): { series: Option[]; above: number } | undefined {
  const series: Option[] | undefined = Array.isArray(option.series) ? option.series : undefined;
  const bars = series?.[0];
  if (!series || bars?.type !== "bar" || !bars.label?.show) return undefined;
  const text = (item: unknown) => {
    const value = item !== null && typeof item === "object" ? (item as Option).value : item;
    return typeof bars.label.formatter === "function"
      ? String(bars.label.formatter({ value }))
      : String(value);
  };
  const widest = Math.max(
    0,
    ...(bars.data ?? []).map((d: unknown) => measure(text(d), VALUE_LABEL_FONT.font)),
  );
  const upright = widest + LABEL_GAP > perBar;
  const fits = !upright || VALUE_LABEL_FONT.lineHeight + LABEL_GAP <= perBar;
  const label = !fits
    ? { show: false }
    : upright
      ? { show: true, rotate: 90, align: "left", verticalAlign: "middle" }
      : { show: true, rotate: 0, align: "center", verticalAlign: "bottom" };
  return {
    series: [{ ...bars, label: { ...bars.label, ...label } }, ...series.slice(1)],
    above: fits && upright ? Math.ceil(widest - VALUE_LABEL_FONT.lineHeight) : 0,
  };
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
