import { activeFilters } from "../logic/active-filters.js";
import type { GroupIndex } from "../logic/group-index.js";
import { emptyState } from "./empty-state.js";
import type { ViewContext } from "./view-context.js";

/**
 * A view whose filters leave no group: no chart over empty axes, but which filters exclude every point and how
 * many points clearing each would show (counted per group, on the loaded set).
 */
export function renderEmptyView(view: ViewContext, main: HTMLElement, index: GroupIndex): void {
  const s = view.state;
  const filters = activeFilters(s).map((f) =>
    f.scope
      ? f
      : {
          ...f,
          points: index.groups({ ...s, ...f.clear }).reduce((n, g) => n + g.items.length, 0),
        },
  );
  view.chart.dispose();
  view.status(filters.length > 0 ? "0 points: the filters exclude every point" : "0 points");
  main.append(emptyState(filters, (id, patch) => view.act(id, patch)));
  // no data: Export CSV is disabled rather than writing a header alone
  view.setCsv(undefined);
  view.finish();
}
