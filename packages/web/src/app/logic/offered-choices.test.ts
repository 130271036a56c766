import { describe, expect, it } from "vitest";
import { offeredChoices } from "./offered-choices.js";

describe("offeredChoices", () => {
  it("adds the chosen values the store lacks after its own, once", () => {
    expect(offeredChoices(["b200", "h200"], ["h100", "h200", "h100"])).toEqual([
      "b200",
      "h200",
      "h100",
    ]);
  });

  it("offers the store's values alone when every chosen one is among them, or none is chosen", () => {
    expect(offeredChoices(["1024/1024", "8192/1024"], ["8192/1024"])).toEqual([
      "1024/1024",
      "8192/1024",
    ]);
    // "" is no choice (a select's "latest" / a state without a workload)
    expect(offeredChoices(["2026-01-01"], [""])).toEqual(["2026-01-01"]);
  });
});
