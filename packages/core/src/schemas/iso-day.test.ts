import { describe, expect, it } from "vitest";
import { isIsoDay } from "./iso-day.js";

describe("isIsoDay", () => {
  it("accepts calendar days written YYYY-MM-DD", () => {
    for (const d of ["2026-02-28", "2024-02-29", "2025-12-31", "2026-01-01"])
      expect(isIsoDay(d)).toBe(true);
  });

  it("refuses other forms and days that do not exist", () => {
    for (const d of [
      "2026-1-5",
      "2026-01-05T00:00",
      "yesterday",
      "",
      "2026-02-30",
      "2025-02-29",
      "2026-04-31",
      "2026-13-01",
      "2026-00-10",
    ])
      expect(isIsoDay(d)).toBe(false);
  });
});
