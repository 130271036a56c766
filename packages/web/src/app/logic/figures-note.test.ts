import { applyCatalogOverrides, DEFAULT_CATALOG } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { RTX6000 } from "../../../../core/test/fixtures/rtx6000-override.js";
import { BUILT_IN_FIGURES, catalogFigures } from "../data/catalog-figures.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { figuresNote } from "./figures-note.js";

const TCO = `${DEFAULT_CATALOG.gpus.h200!.sources.price.source} (2026-04)`;
const POWER = `${DEFAULT_CATALOG.gpus.h200!.sources.power.source} (2026-04)`;
const cost = { ...DEFAULT_STATE, y: "costPerMillionTotal" as const, tier: "neocloud" as const };
const figures = catalogFigures(
  applyCatalogOverrides(DEFAULT_CATALOG, {
    gpus: {
      rtx6000: RTX6000,
      h100: { price: { neocloud: 2.1 }, source: { source: "our 2026 contract", date: "2026-10" } },
    },
  }),
  "ours.yaml",
);

describe("figuresNote", () => {
  it("cites the built-in prices of the shown GPUs, grouped by source", () => {
    expect(figuresNote(BUILT_IN_FIGURES, cost, ["h200", "B200", "h200"])).toBe(
      `GPU prices, neocloud tier ($/GPU-h): b200 2.34, h200 1.74 from ${TCO}`,
    );
  });

  it("names the override file and the source and date it gives, and the GPUs without figures", () => {
    expect(figuresNote(figures, cost, ["rtx6000", "h100", "h200", "tpu9"])).toBe(
      "GPU prices, neocloud tier ($/GPU-h): " +
        "h100 2.1 from our 2026 contract (2026-10), catalog override ours.yaml; " +
        `h200 1.74 from ${TCO}; ` +
        "rtx6000 1.2 from user override file, catalog override ours.yaml; " +
        "not in the catalog (no price): tpu9",
    );
  });

  it("provisioned energy cites the all-in power; a custom price and other metrics cite no catalog", () => {
    expect(figuresNote(figures, { ...cost, y: "tokensPerSecPerMw" }, ["rtx6000", "h100"])).toBe(
      `All-in power (kW per GPU): h100 1.73 from ${POWER}; rtx6000 1 from user override file, catalog override ours.yaml`,
    );
    expect(figuresNote(figures, { ...cost, tier: "custom", price: 2.5 }, ["h100"])).toBe(
      "GPU price: $2.5/GPU-h for every GPU (your own, not the catalog's)",
    );
    expect(figuresNote(figures, { ...cost, y: "tputPerGpu" }, ["h100"])).toBeUndefined();
    expect(figuresNote(figures, { ...cost, y: "jPerToken" }, ["h100"])).toBeUndefined();
  });
});
