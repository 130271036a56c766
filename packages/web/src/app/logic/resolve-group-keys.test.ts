import { describe, expect, it } from "vitest";
import { KEY_A, KEY_B, makeItem } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE, decodeState } from "../state/view-state.js";
import { buildCompare } from "./compare-bars.js";
import { dashboardGroups } from "./dashboard-groups.js";
import { buildFrontierSeries } from "./frontier-series.js";
import { resolveGroupKeys } from "./resolve-group-keys.js";

const ix = (id: string, tput: number) => {
  const item = makeItem({ id, concurrency: 4, intvty: 80, tput });
  item.point.run.importedFrom = "inferencex:api";
  return item;
};
// H200: InferenceX's rows and your own of one configuration (split); B200: InferenceX's only (whole)
const h200 = [
  ix("ix1", 300),
  makeItem({ id: "m1", source: "measured", concurrency: 4, intvty: 80, tput: 200 }),
];
const b200 = [{ ...ix("b1", 400), point: { ...ix("b1", 400).point } }];
b200[0]!.point.config = { ...b200[0]!.point.config, hardware: "b200" };
const items = [...h200, ...b200];
const groups = dashboardGroups(items);
const state = (hash: string) => ({ ...decodeState(hash), workload: "1024/1024" });

describe("resolveGroupKeys", () => {
  it("the groups under test: H200 split by source, B200 whole", () => {
    expect(groups.map((g) => g.key)).toEqual([
      `${KEY_B}`,
      `${KEY_A}|InferenceX`,
      `${KEY_A}|measured`,
    ]);
  });

  it("a link made before the split hides every part of the group it hid", () => {
    const s = resolveGroupKeys(state(`hidden=${KEY_A}`), groups);
    expect(s.hidden).toEqual([`${KEY_A}|InferenceX`, `${KEY_A}|measured`]);
    const drawn = buildFrontierSeries(items, s).groups.filter((g) => !g.hidden);
    expect(drawn.map((g) => g.key)).toEqual([KEY_B]);
  });

  it("a pair naming a group now split picks its first part in the legend's order, not the other side's", () => {
    expect(resolveGroupKeys(state(`pair=${KEY_A},${KEY_B}`), groups).pair).toEqual([
      `${KEY_A}|InferenceX`,
      KEY_B,
    ]);
    expect(resolveGroupKeys(state(`pair=${KEY_A}|InferenceX,${KEY_A}`), groups).pair).toEqual([
      `${KEY_A}|InferenceX`,
      `${KEY_A}|measured`,
    ]);
    const s = resolveGroupKeys({ ...state(`pair=${KEY_B},${KEY_A}`), target: 80 }, groups);
    const r = buildCompare(items, s);
    expect([r.ratio?.a.key, r.ratio?.b.key, r.ratio?.value]).toEqual([
      KEY_B,
      `${KEY_A}|InferenceX`,
      400 / 300,
    ]);
  });

  it("a split key names the whole group of a view that has that one source", () => {
    const own = dashboardGroups(h200.slice(1));
    const s = resolveGroupKeys(state(`hidden=${KEY_A}|measured&pair=${KEY_A}|measured`), own);
    expect([s.hidden, s.pair]).toEqual([[KEY_A], [KEY_A]]);
    // not a part of another source
    expect(resolveGroupKeys(state(`hidden=${KEY_A}|InferenceX`), own).hidden).toEqual([
      `${KEY_A}|InferenceX`,
    ]);
  });

  it("keys of shown groups, and of groups the filters leave out, stay; an unchanged state is the same object", () => {
    const s = state(
      `hidden=${KEY_B},dsr1|8192|1024|random|mi355x|sglang|fp8|none|agg&pair=${KEY_A}|measured`,
    );
    expect(resolveGroupKeys(s, groups)).toBe(s);
    expect(resolveGroupKeys(DEFAULT_STATE, groups)).toBe(DEFAULT_STATE);
  });
});
