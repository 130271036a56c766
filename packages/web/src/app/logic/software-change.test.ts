import { describe, expect, it } from "vitest";
import { softwareChange } from "./software-change.js";

/** A line's dates: each one's software, or undefined for a date without a value at the target. */
const line = (...software: (string[] | undefined)[]) => ({
  dates: software.map((s, i) => ({
    date: `2025-0${i + 1}-01`,
    software: s ?? ["skipped"],
    ...(s ? { value: 100 + i } : {}),
  })),
});

describe("softwareChange", () => {
  it("first → last date with a value; one name when it did not change; none when no date records it", () => {
    expect(softwareChange(line(["v0.5.4"], undefined, ["v0.5.5.post2"], undefined))).toBe(
      "v0.5.4 → v0.5.5.post2",
    );
    expect(softwareChange(line(["0.11.0"], ["0.11.0"]))).toBe("0.11.0");
    expect(softwareChange(line(["a", "b"], ["b"]))).toBe("a, b → b");
    expect(softwareChange(line([], []))).toBe("");
    expect(softwareChange(line(undefined))).toBe("");
  });

  it("one of the two dates records none: the name known and which date recorded none, without a dangling dash", () => {
    // it read "– → v0.5.5.post2"
    expect(softwareChange(line([], ["v0.5.5.post2"]))).toBe(
      "v0.5.5.post2 (first date: not recorded)",
    );
    expect(softwareChange(line(["v0.5.4"], []))).toBe("v0.5.4 (last date: not recorded)");
  });
});
