import { FALLBACK_STYLE, type GroupStyle, styleKey } from "../logic/group-styles.js";
import { plural } from "../logic/plural.js";
import type { ViewState } from "../state/view-state.js";
import { h } from "./dom.js";
import type { LegendEntry } from "./export-legend.js";
import { styleGlyph } from "./style-glyph.js";
import type { Act } from "./view-context.js";

/** The screens the legend's toggles start closed on: those on which the filters stand above the chart (styles.css). */
const NARROW = "(max-width: 720px)";

/** A group as the legend lists it: its short label, its full label (the button's title) and whether it is hidden. */
export interface LegendGroup {
  key: string;
  label: string;
  full: string;
  hidden: boolean;
  count?: string;
}

/**
 * The legend under a view's chart: a toggle button per group with the group's glyph (its color, marker and dash),
 * and "Show all" / "Hide all".
 * The buttons are kept across renders (hundreds of groups: re-creating them costs a frame).
 */
export class GroupLegend {
  private readonly buttons = new Map<string, HTMLButtonElement>();
  /** whether the list of groups without data is open: kept across renders, as the reader left it */
  private emptyOpen = false;
  /** the toggles' last box, whose `open` the next render keeps once the reader has opened or closed it */
  private box: HTMLDetailsElement | undefined;
  private touched = false;

  /**
   * `styles`: the groups' looks, as the dashboard paints them for each render; `state`: the state a click
   * toggles from; `act`: runs a state change from a control, keeping focus on it.
   */
  constructor(
    private readonly styles: ReadonlyMap<string, GroupStyle>,
    private readonly state: () => ViewState,
    private readonly act: Act,
  ) {}

  /**
   * The legend's toggle buttons: each group's short label, its full label as the button's title (tooltip); under a
   * summary that counts them, open on a wide screen and closed on a narrow one (a phone: 61 toggles stood 1,600 px
   * tall under the chart), then as the reader left it.
   */
  render(groups: readonly LegendGroup[]): HTMLElement {
    const list = h("div", {
      class: "legend",
      role: "group",
      "aria-label": "Groups (toggle to show or hide)",
    });
    groups.forEach((g, i) => {
      let b = this.buttons.get(g.key);
      if (!b) {
        const button = h(
          "button",
          { type: "button", "data-key": g.key, class: "legend-item" },
          styleGlyph(FALLBACK_STYLE),
          h("span", {}),
        );
        button.addEventListener("click", () => {
          const hidden = new Set(this.state().hidden);
          if (hidden.has(g.key)) hidden.delete(g.key);
          else hidden.add(g.key);
          this.act(button.id, { hidden: [...hidden] });
        });
        this.buttons.set(g.key, button);
        b = button;
      }
      b.id = `legend-${i}`;
      const style = this.style(g.key);
      if (b.firstElementChild?.getAttribute("data-style") !== styleKey(style))
        b.firstElementChild?.replaceWith(styleGlyph(style));
      b.setAttribute("aria-pressed", String(!g.hidden));
      if (b.title !== g.full) b.title = g.full;
      const text = `${g.label}${g.count ? ` (${g.count})` : ""}`;
      const label = b.lastElementChild as HTMLElement;
      if (label.textContent !== text) label.textContent = text;
      list.append(b);
    });
    const all = h("button", {
      type: "button",
      id: "legend-all",
      class: "legend-all",
      text: "Show all",
    });
    all.addEventListener("click", () => this.act("legend-all", { hidden: [] }));
    const none = h("button", {
      type: "button",
      id: "legend-none",
      class: "legend-all",
      text: "Hide all",
    });
    none.addEventListener("click", () =>
      this.act("legend-none", { hidden: groups.map((g) => g.key) }),
    );
    list.append(all, none);
    const hidden = groups.filter((g) => g.hidden).length;
    const details = h(
      "details",
      { id: "legend", class: "legend-box" },
      h("summary", {
        id: "legend-summary",
        text: `Legend (${plural(groups.length, "group")}${hidden ? `, ${hidden} hidden` : ""})`,
      }),
      list,
    );
    const open = this.touched && this.box ? this.box.open : !matchMedia(NARROW).matches;
    details.open = open;
    // a click on the summary counts at once: its toggle event comes a task later, maybe after the next render (a
    // toggle's Space right after Enter); setting `open` above fires one too, which is no reader's
    details.firstElementChild?.addEventListener("click", () => {
      this.touched = true;
    });
    details.addEventListener("toggle", () => {
      if (details.open !== open) this.touched = true;
    });
    this.box = details;
    return details;
  }

  /**
   * The groups a view lists apart because they have nothing on its chart (the frontier: no point with a value on
   * both axes, a sparse metric such as measured J/token; the trends: no value at the target on any date),
   * collapsed under a summary that counts them and says what they lack; undefined when there are none. They are
   * no toggles: the legend offers to show or hide what is drawn.
   * @example legend.empty(groups, "J/token (measured or reported)") // <details>: "57 groups with no J/token (measured or reported), not drawn"
   */
  empty(groups: readonly Omit<LegendGroup, "hidden">[], lacking: string): HTMLElement | undefined {
    if (groups.length === 0) return undefined;
    const list = h(
      "ul",
      {},
      ...groups.map((g) => h("li", { "data-key": g.key, title: g.full, text: g.label })),
    );
    const details = h(
      "details",
      { id: "no-data", class: "no-data" },
      h("summary", {
        id: "no-data-summary",
        text: `${plural(groups.length, "group")} with no ${lacking}, not drawn`,
      }),
      list,
    );
    details.open = this.emptyOpen;
    details.addEventListener("toggle", () => {
      this.emptyOpen = details.open;
    });
    return details;
  }

  /**
   * The legend of a view that draws only some of the groups the filters keep: toggles for the groups `drawn` says
   * have something on the chart (hidden through the legend or not; `count`: the number each toggle shows), and the
   * others listed apart as lacking `lacking` (`empty`). Each group by its label in `labels`, else its own, with its
   * own label as the title. The frontier, compare and trends views all list their groups so. No legend when no
   * group is drawn.
   * @example main.append(box, ...legend.split(groups, (g) => valued.has(g.key), labels, "value at 40.0 tok/s/user"))
   */
  split<T extends { key: string; label: string }>(
    groups: readonly T[],
    drawn: (g: T) => boolean,
    labels: ReadonlyMap<string, string>,
    lacking: string,
    count?: (g: T) => string,
  ): HTMLElement[] {
    const hidden = new Set(this.state().hidden);
    const entry = (g: T) => ({ key: g.key, label: labels.get(g.key) ?? g.label, full: g.label });
    const toggles = groups.filter(drawn).map((g) => ({
      ...entry(g),
      hidden: hidden.has(g.key),
      ...(count ? { count: count(g) } : {}),
    }));
    const apart = this.empty(groups.filter((g) => !drawn(g)).map(entry), lacking);
    // nothing drawn: no toggles, and no "Show all" or "Hide all", which would do nothing
    return [...(toggles.length > 0 ? [this.render(toggles)] : []), ...(apart ? [apart] : [])];
  }

  /** The legend an exported image carries: the groups drawn (not the hidden ones), by their short labels. */
  exported(groups: readonly { key: string; label: string; hidden?: boolean }[]): LegendEntry[] {
    return groups
      .filter((g) => !g.hidden)
      .map((g) => ({ label: g.label, style: this.style(g.key) }));
  }

  private style(key: string): GroupStyle {
    return this.styles.get(key) ?? FALLBACK_STYLE;
  }
}
