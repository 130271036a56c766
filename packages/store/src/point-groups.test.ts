import { describe, expect, it } from "vitest";
import { groupsOf } from "./point-groups.js";
import type { PointsTable } from "./schema.js";

const row = (o: Partial<PointsTable>): PointsTable =>
  ({
    configuration_id: "c1",
    model: "dsr1",
    isl: 1024,
    osl: 1024,
    hardware: "h200",
    framework: "sglang",
    precision: "fp8",
    spec_method: "none",
    disaggregated: 0,
    source: "measured",
    valid: 1,
    day: "2026-01-05",
    ...o,
  }) as PointsTable;

describe("groupsOf", () => {
  it("counts points per group with their first and last day", () => {
    const groups = groupsOf([
      row({ day: "2026-01-05" }),
      row({ day: "2026-01-01" }),
      row({ day: "2026-01-09" }),
      row({ hardware: "b200", configuration_id: "c2", day: "2026-01-03" }),
      // another configuration (say, other GPU counts) in the same group
      row({ configuration_id: "c3", day: "2026-01-10" }),
      row({ valid: 0, day: "2026-01-02" }),
    ]);
    expect(groups.map((g) => [g.hardware, g.valid, g.points, g.first_day, g.last_day])).toEqual([
      ["h200", 1, 4, "2026-01-01", "2026-01-10"],
      ["b200", 1, 1, "2026-01-03", "2026-01-03"],
      ["h200", 0, 1, "2026-01-02", "2026-01-02"],
    ]);
  });

  it("gives nothing for no rows", () => {
    expect(groupsOf([])).toEqual([]);
  });
});
