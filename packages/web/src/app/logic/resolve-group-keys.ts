import { DEFAULT_GROUP_DIMENSIONS, type PointGroup } from "@infermark/core";
import type { ViewState } from "../state/view-state.js";
import { sourceName } from "./source-name.js";
import type { Item } from "./types.js";

/** The number of parts of a group key split by source (`dashboardGroups`): the dimensions and the source name. */
const SPLIT_PARTS = DEFAULT_GROUP_DIMENSIONS.length + 1;

/**
 * A state's group keys (`hidden`, `pair`) read against the groups a view has, so that a link still finds its groups
 * when a group is split by source in one point set and not in another (`dashboardGroups`):
 * - a key of a group that the view shows split (a link made before groups were split by source, or in a view of
 *   one source) names all its parts: hidden, it hides every part; in a compare pair, it picks the first part in the
 *   legend's order (InferenceX, imported, measured, simulated) that the pair's other side does not name;
 * - a split key (`<key>|measured`) whose group the view shows whole, of that one source (a view of your points
 *   only), names that group.
 * Other keys (a group the filters leave out) stay as they are. The state itself when nothing changes.
 * @example resolveGroupKeys({ ...state, hidden: [key] }, groups).hidden // [`${key}|InferenceX`, `${key}|measured`]
 */
export function resolveGroupKeys(state: ViewState, groups: readonly PointGroup<Item>[]): ViewState {
  const known = new Set<string>();
  const parts = new Map<string, string[]>();
  const whole = new Map<string, string>();
  for (const g of groups) {
    known.add(g.key);
    const cut = g.key.lastIndexOf("|");
    if (g.key.split("|").length === SPLIT_PARTS) {
      const list = parts.get(g.key.slice(0, cut));
      if (list) list.push(g.key);
      else parts.set(g.key.slice(0, cut), [g.key]);
    } else if (g.items.length > 0) whole.set(`${g.key}|${sourceName(g.items[0]!)}`, g.key);
  }
  const resolve = (key: string): string[] =>
    known.has(key) ? [key] : (parts.get(key) ?? [whole.get(key) ?? key]);

  const hidden = [...new Set(state.hidden.flatMap(resolve))];
  const [ka, kb] = state.pair;
  const pick = (key: string | undefined, other: string | undefined) => {
    if (key === undefined) return undefined;
    const options = resolve(key);
    return options.find((k) => k !== other) ?? options[0]!;
  };
  // the side that names a group as it is shown first, so that the other picks a part it does not name
  const b0 = kb !== undefined && known.has(kb) ? kb : undefined;
  const a = pick(ka, b0);
  const b = pick(kb, a);
  const pair = state.pair.map((k, i) => (i === 0 ? a! : i === 1 ? b! : k));

  const same = (x: readonly string[], y: readonly string[]) =>
    x.length === y.length && x.every((v, i) => v === y[i]);
  if (same(hidden, state.hidden) && same(pair, state.pair)) return state;
  return { ...state, hidden, pair };
}
