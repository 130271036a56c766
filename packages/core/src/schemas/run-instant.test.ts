import { describe, expect, it } from "vitest";
import { RunInfo } from "./point-result.js";
import { runInstant } from "./run-instant.js";

describe("runInstant", () => {
  it("writes every form of one instant the same way, in UTC with milliseconds", () => {
    for (const d of [
      "2026-07-01T07:00:00Z",
      "2026-07-01T07:00:00.000Z",
      "2026-07-01 07:00:00Z",
      "2026-07-01T12:00:00+05:00",
      "2026-07-01T12:00:00+0500",
      "2026-07-01 12:00:00+05",
      "2026-07-01T02:30:00-04:30",
      "2026-07-01t07:00:00z",
      "2026-07-01T07:00:00",
      "2026-07-01T07:00",
    ])
      expect([d, runInstant(d)]).toEqual([d, "2026-07-01T07:00:00.000Z"]);
  });

  it("orders as time when compared as text, as the store compares its date column", () => {
    const later = [
      ["2026-07-01T12:00:00+05:00", "2026-07-01T08:00:00Z"],
      ["2026-07-02T01:00:00Z", "2026-07-02 23:00:00Z"],
      ["2026-07-01T10:00:00Z", "2026-07-01T10:00:00.5Z"],
      ["2026-07-01", "2026-07-01T00:00:01Z"],
      ["2026-06-30T23:00:00Z", "2026-07-01T01:00:00+01:00"],
    ];
    for (const [earlier, after] of later)
      expect(runInstant(earlier!) < runInstant(after!)).toBe(true);
  });

  it("reads a day as its midnight UTC, cuts fractions to milliseconds and crosses days, months and years", () => {
    expect(runInstant("2026-07-01")).toBe("2026-07-01T00:00:00.000Z");
    expect(runInstant("2026-07-01T10:00:00.123456789Z")).toBe("2026-07-01T10:00:00.123Z");
    expect(runInstant("2026-07-01T10:00:00,5Z")).toBe("2026-07-01T10:00:00.500Z");
    expect(runInstant("2026-01-01T01:00:00+02:00")).toBe("2025-12-31T23:00:00.000Z");
    expect(runInstant("0050-01-01T00:00:00Z")).toBe("0050-01-01T00:00:00.000Z");
  });

  it("gives an instant for every date the point schema accepts", () => {
    for (const date of [
      "2026-07-01",
      "2026-07-01T12:00:00Z",
      "2026-07-01 12:00:00+00",
      "2026-07-01T12:00:00.5-07:00",
    ]) {
      expect(RunInfo.shape.date.safeParse(date).success).toBe(true);
      expect(runInstant(date)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
  });
});
