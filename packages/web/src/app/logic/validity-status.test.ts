import { DEFAULT_CATALOG } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { makeItem } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { GroupIndex } from "./group-index.js";
import type { Item } from "./types.js";
import { invalidCount, validityStatus, withValidity } from "./validity-status.js";

const invalid = (item: Item, reason: string): Item => ({
  ...item,
  point: { ...item.point, validity: { valid: false, reasons: [reason] } },
});

describe("validity on the status line", () => {
  const items = [
    makeItem({ id: "a1", concurrency: 1, intvty: 10, tput: 1000 }),
    invalid(makeItem({ id: "a2", concurrency: 2, intvty: 20, tput: 900 }), "client saturated"),
    invalid(makeItem({ id: "b1", hardware: "b200", concurrency: 1, intvty: 10, tput: 2000 }), "x"),
  ];
  const index = new GroupIndex(items, DEFAULT_CATALOG);

  it("counts the invalid points of the groups the filters keep", () => {
    expect(invalidCount(index.groups(DEFAULT_STATE))).toBe(2);
    expect(invalidCount(index.groups({ ...DEFAULT_STATE, hardware: ["h200"] }))).toBe(1);
  });

  it("says what the filter left out when on, and that invalid points are included when off", () => {
    expect(validityStatus(2, true)).toBe("valid points only: 2 invalid points left out");
    expect(validityStatus(1, true)).toBe("valid points only: 1 invalid point left out");
    expect(validityStatus(0, true)).toBe("valid points only: no invalid point left out");
    expect(validityStatus(undefined, true)).toBe("valid points only");
    expect(validityStatus(2, false)).toBe(
      "2 invalid points included (their reasons in the tooltip)",
    );
    expect(validityStatus(0, false)).toBeUndefined();
    expect(withValidity("3 points in 1 of 1 group", validityStatus(1, true))).toBe(
      "3 points in 1 of 1 group; valid points only: 1 invalid point left out",
    );
    expect(withValidity("3 points in 1 of 1 group", undefined)).toBe("3 points in 1 of 1 group");
  });
});
