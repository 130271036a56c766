import type { PointGroup } from "@infermark/core";
import { figuresNote } from "../logic/figures-note.js";
import type { Item } from "../logic/types.js";
import { h } from "./dom.js";
import type { ViewContext } from "./view-context.js";

/** A view's data-source note: its text (which the exported CSV and PNG carry) and the element under the chart. */
export interface SourceNote {
  text: string;
  element: HTMLElement;
}

/**
 * The note under a view's chart that cites the catalog figures (GPU prices, all-in power) its y metric uses for
 * the GPUs of its groups, naming the override file where one set them; undefined for metrics that use none.
 */
export function sourceNote(
  view: ViewContext,
  groups: readonly PointGroup<Item>[],
): SourceNote | undefined {
  const hardware = groups.flatMap((g) => g.items.slice(0, 1).map((i) => i.point.config.hardware));
  const text = figuresNote(view.catalog, view.state, hardware);
  return text === undefined
    ? undefined
    : { text, element: h("p", { id: "figures-source", class: "note", text }) };
}
