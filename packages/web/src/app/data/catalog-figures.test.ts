import { applyCatalogOverrides, DEFAULT_CATALOG } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { RTX6000 } from "../../../../core/test/fixtures/rtx6000-override.js";
import { makeItem } from "../../../test/helpers/make-point.js";
import { RTX6000_FIGURES } from "../../../test/helpers/rtx6000-figures.js";
import { buildFrontierSeries } from "../logic/frontier-series.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { BUILT_IN_FIGURES, catalogFigures, checkCatalogFigures } from "./catalog-figures.js";

const CONTRACT = { source: "our 2026 contract", date: "2026-10" };
const overridden = applyCatalogOverrides(DEFAULT_CATALOG, {
  gpus: { rtx6000: RTX6000, h200: { price: { neocloud: 2.1 }, source: CONTRACT } },
});

describe("catalogFigures", () => {
  it("carries each GPU's prices and all-in power with their sources, marking what the override file set", () => {
    const f = catalogFigures(overridden, "ours.yaml");
    expect(f.override).toEqual({ file: "ours.yaml" });
    expect(f.gpus.rtx6000).toEqual(RTX6000_FIGURES);
    expect(f.gpus.h200!.price).toEqual({ hyperscaler: 1.41, neocloud: 2.1, rental: 1.6 });
    expect(f.gpus.h200!.sources.price).toEqual(CONTRACT);
    expect(f.gpus.h200!.overridden).toEqual({ price: true });
    expect(f.gpus.b200!.overridden).toBeUndefined();
    expect(Object.keys(f.gpus)).toEqual([...Object.keys(DEFAULT_CATALOG.gpus), "rtx6000"]);
  });

  it("of the built-in catalog: no override, nothing marked", () => {
    expect(BUILT_IN_FIGURES.override).toBeUndefined();
    expect(Object.values(BUILT_IN_FIGURES.gpus).filter((g) => g.overridden)).toEqual([]);
  });

  it("are what the dashboard's cost metrics read: a new GPU's price gives its cost per million tokens", () => {
    const f = checkCatalogFigures(JSON.parse(JSON.stringify(catalogFigures(overridden, "o.yaml"))));
    const items = [
      makeItem({ id: "r1", hardware: "rtx6000", concurrency: 4, intvty: 20, tput: 500 }),
    ];
    const state = {
      ...DEFAULT_STATE,
      y: "costPerMillionTotal" as const,
      tier: "neocloud" as const,
    };
    expect(buildFrontierSeries(items, state, f).groups[0]!.points[0]!.y).toBe(
      (1.2 * 1e6) / (500 * 3600),
    );
    // the built-in catalog has no price for it
    expect(buildFrontierSeries(items, state).groups[0]!.points).toEqual([]);
  });

  it("received figures are checked", () => {
    expect(() => checkCatalogFigures({ gpus: {} })).toThrow(
      "catalog figures: expected format infermark.catalog-figures/v1",
    );
    const f = catalogFigures(overridden);
    const broken = { ...f, gpus: { x: { ...f.gpus.rtx6000!, price: { hyperscaler: 1 } } } };
    expect(() => checkCatalogFigures(broken)).toThrow(
      "catalog figures: GPU x lacks a positive price per tier or all-in power",
    );
  });
});
