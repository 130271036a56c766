import {
  type CostCatalog,
  matchesFilter,
  type PointFilter,
  type PointGroup,
} from "@infermark/core";
import type { ViewState } from "../state/view-state.js";
import { dashboardGroups } from "./dashboard-groups.js";
import { axesKey, type GroupSeries, groupSeries } from "./frontier-series.js";
import { stateFilter } from "./select-points.js";
import type { Item } from "./types.js";

/**
 * One loaded point set (a scope's points) grouped once with core's groupPoints, with each group's series cached per
 * axes and pricing (cost and provisioned energy from the page's catalog figures, fixed for the page). Every dimension filter of the dashboard (model, ISL/OSL, GPU, framework, precision, spec
 * decoding, disaggregation) is a group dimension, so a filter keeps or drops whole groups: a filter change costs
 * one `matchesFilter` per group, and the series of the groups it keeps are reused.
 * @example new GroupIndex(items, DEFAULT_CATALOG).groups(state).length
 */
export class GroupIndex {
  readonly all: readonly PointGroup<Item>[];
  private ids: Map<string, Item> | undefined;
  private readonly series = new Map<string, Map<string, GroupSeries>>();

  constructor(
    readonly items: readonly Item[],
    private readonly catalog: CostCatalog,
  ) {
    this.all = dashboardGroups(items);
  }

  /** Items by store id (for tooltips; built on first use). */
  get byId(): ReadonlyMap<string, Item> {
    this.ids ??= new Map(this.items.map((i) => [i.id, i]));
    return this.ids;
  }

  /** The groups that pass the state's dimension filters (source and date are the scope's). */
  groups(state: ViewState): PointGroup<Item>[] {
    const { source: _source, dateTo: _dateTo, ...dims } = stateFilter(state);
    const filter: PointFilter = dims;
    return this.all.filter((g) => g.items.length > 0 && matchesFilter(g.items[0]!.point, filter));
  }

  /** The points of the groups that pass the state's filters. */
  select(state: ViewState): Item[] {
    return this.groups(state).flatMap((g) => g.items);
  }

  /** A group's series on the state's axes, computed once per axes and pricing. */
  seriesOf(group: PointGroup<Item>, state: ViewState): GroupSeries {
    const key = axesKey(state);
    let cache = this.series.get(key);
    if (!cache) {
      cache = new Map();
      this.series.set(key, cache);
    }
    let s = cache.get(group.key);
    if (!s) {
      s = groupSeries(group, state, this.catalog);
      cache.set(group.key, s);
    }
    return s;
  }
}
