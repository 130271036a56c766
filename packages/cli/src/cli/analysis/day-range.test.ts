import { describe, expect, it } from "vitest";
import { dayRange } from "./day-range.js";

describe("dayRange", () => {
  it("takes days and keywords, either end left out", () => {
    expect(dayRange("2026-11-01,2026-11-28")).toEqual({ from: "2026-11-01", to: "2026-11-28" });
    expect(dayRange("previous,latest")).toEqual({ from: "previous", to: "latest" });
    expect(dayRange("first,")).toEqual({ from: "first" });
    expect(dayRange(",latest")).toEqual({ to: "latest" });
  });
  it("refuses keywords out of day order, as it refuses days", () => {
    for (const [from, to] of [
      ["latest", "previous"],
      ["latest", "first"],
      ["previous", "first"],
      ["2026-11-28", "2026-11-01"],
    ])
      expect(() => dayRange(`${from},${to}`)).toThrow(`--between: ${from} is after ${to}`);
    expect(dayRange("first,first")).toEqual({ from: "first", to: "first" });
  });
  it("refuses what is neither a day nor a keyword", () => {
    expect(() => dayRange("last,latest")).toThrow(
      '--between expects D1,D2 (days YYYY-MM-DD or first, previous, latest; either may be left out), got "last,latest"',
    );
  });
});
