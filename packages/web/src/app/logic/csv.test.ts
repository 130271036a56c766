import { describe, expect, it } from "vitest";
import { GROUP_A } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { csvWithNote, frontierCsv, toCsv } from "./csv.js";
import { buildFrontierSeries } from "./frontier-series.js";

describe("CSV export", () => {
  it("quotes fields with commas, quotes and line breaks", () => {
    expect(
      toCsv([
        ["a", 1, true],
        ['say "hi", ok', undefined, "x\ny"],
      ]),
    ).toBe('a,1,true\r\n"say ""hi"", ok",,"x\ny"\r\n');
  });

  it("puts a data-source note after the data: an empty line and a row of '#' and the note", () => {
    const csv = toCsv([
      ["group", "y"],
      ["h200", 1.5],
    ]);
    const note =
      "GPU prices, neocloud tier ($/GPU-h): h200 2.5 from our contract (2026-10), catalog override ours.yaml";
    expect(csvWithNote(csv, note)).toBe(`group,y\r\nh200,1.5\r\n\r\n#,"${note}"\r\n`);
    expect(csvWithNote(csv, undefined)).toBe(csv);
    // a note's text is written as text, as every cell is
    expect(csvWithNote(csv, "=1+1")).toBe(`${csv}\r\n#,"'=1+1"\r\n`);
  });

  it("writes a group label a spreadsheet would run as a formula as text", () => {
    expect(toCsv([["=HYPERLINK(1) 1024/1024 h200", -3.5, "@SUM(1)"]])).toBe(
      `"'=HYPERLINK(1) 1024/1024 h200",-3.5,"'@SUM(1)"\r\n`,
    );
  });

  it("writes one row per plotted point with its frontier flag", () => {
    const csv = frontierCsv(
      buildFrontierSeries(GROUP_A, { ...DEFAULT_STATE }),
      "intvty",
      "tputPerGpu",
    );
    expect(csv.split("\r\n")).toEqual([
      "group,point_id,intvty,tputPerGpu,on_frontier,self_consistency",
      "dsr1 1024/1024 h200 sglang fp8 agg,a1,10,1000,true,",
      "dsr1 1024/1024 h200 sglang fp8 agg,a2,20,800,true,",
      "dsr1 1024/1024 h200 sglang fp8 agg,a3,30,300,true,",
      "dsr1 1024/1024 h200 sglang fp8 agg,a4,25,200,false,",
      "",
    ]);
  });
});
