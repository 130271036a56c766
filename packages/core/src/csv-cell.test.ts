import { describe, expect, it } from "vitest";
import { csvCell } from "./csv-cell.js";

describe("csvCell", () => {
  it("keeps text that a spreadsheet would run as a formula as text: a ' before it, quoted", () => {
    expect(
      ['=HYPERLINK("http://x","a")', "+1", "-2+3", "@SUM(1)", "\tx", "\rx", "=1,2"].map(csvCell),
    ).toEqual([
      '"\'=HYPERLINK(""http://x"",""a"")"',
      '"\'+1"',
      '"\'-2+3"',
      '"\'@SUM(1)"',
      '"\'\tx"',
      '"\'\rx"',
      '"\'=1,2"',
    ]);
  });

  it("writes numbers as numbers, negative ones too, and quotes only text that needs it", () => {
    expect([-3.5, 0, 1e21, true, undefined, null].map(csvCell)).toEqual([
      "-3.5",
      "0",
      "1e+21",
      "true",
      "",
      "",
    ]);
    expect(["dsr1", "a-b=c", 'say "hi", ok', "x\ny"].map(csvCell)).toEqual([
      "dsr1",
      "a-b=c",
      '"say ""hi"", ok"',
      '"x\ny"',
    ]);
  });
});
