import { describe, expect, it } from "vitest";
import { renderTable } from "./output.js";

describe("renderTable", () => {
  it("aligns a table of more rows than a call takes arguments (Math.max(...widths) overflowed the stack)", () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => [`p${i}`, String(i)]);
    const lines = renderTable(["point", "n"], rows).split("\n");
    expect(lines).toHaveLength(200_002);
    // the first column as wide as its longest cell (p199999), the second right-aligned to 6
    expect(lines[0]).toBe(`point${" ".repeat(9)}n`);
    expect(lines.at(-1)).toBe("p199999  199999");
  });
});
