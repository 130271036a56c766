/**
 * The values a filter control offers: the store's, then any the state chose that the store lacks (a link's
 * `hardware=h100` on a store without H100 points, an "as of" day no point has), so the control shows the filter in
 * effect, and it can be cleared there, instead of showing "all" or "latest" while the view is narrowed.
 * @example offeredChoices(["b200", "h200"], ["h100", "h200"]) // ["b200", "h200", "h100"]
 */
export function offeredChoices(offered: readonly string[], chosen: readonly string[]): string[] {
  const known = new Set(offered);
  return [...offered, ...new Set(chosen.filter((v) => v !== "" && !known.has(v)))];
}
