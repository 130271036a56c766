import { describe, expect, it } from "vitest";
import { point } from "../../test/analysis/points.js";
import { matchesFilter, workloadKind } from "../schemas/point-filter.js";
import { parseFilterExpression } from "./filter-expression.js";
import { groupPoints, parseGroupBy } from "./grouping.js";
import { selectPointSet } from "./point-set.js";

/** An H200 point of a session workload. */
function session(turns: number, thinkTimeMs?: number) {
  const p = point({ hardware: "h200" });
  p.config.workload = { ...p.config.workload, kind: "session", turns, thinkTimeMs };
  return p;
}

describe("grouping, filter expressions and point sets", () => {
  it("parses groupings", () => {
    expect(parseGroupBy()).toEqual([
      "model",
      "isl",
      "osl",
      "workload",
      "hardware",
      "framework",
      "precision",
      "spec",
      "disagg",
    ]);
    expect(parseGroupBy("+tp")).toEqual([
      "model",
      "isl",
      "osl",
      "workload",
      "hardware",
      "framework",
      "precision",
      "spec",
      "disagg",
      "tp",
    ]);
    expect(parseGroupBy("-framework")).toEqual([
      "model",
      "isl",
      "osl",
      "workload",
      "hardware",
      "precision",
      "spec",
      "disagg",
    ]);
    expect(parseGroupBy("hardware")).toEqual(["model", "isl", "osl", "workload", "hardware"]);
    expect(() => parseGroupBy("+tp,hardware")).toThrow(/either/);
    expect(() => parseGroupBy("-isl")).toThrow(/cannot be pooled/);
    expect(() => parseGroupBy("-workload")).toThrow(/cannot be pooled/);
    expect(() => parseGroupBy("+gpu")).toThrow(
      /unknown grouping dimension "gpu"; known: model, isl/,
    );
  });

  it("groups by the engine's release with +version (before, two releases of one configuration were one group)", () => {
    const on = (version?: string) => {
      const p = point({ hardware: "h200" });
      if (version) p.config.frameworkVersion = version;
      return p;
    };
    const pts = [on("0.11.0"), on("v0.11.0"), on("0.10.2"), on()];
    expect(
      groupPoints(pts, parseGroupBy("+version")).map((g) => [g.label, g.items.length]),
    ).toEqual([
      ["dsr1 1024/1024 h200 sglang fp8 agg -", 1],
      ["dsr1 1024/1024 h200 sglang fp8 agg v0.10.2", 1],
      ["dsr1 1024/1024 h200 sglang fp8 agg v0.11.0", 2],
    ]);
  });

  it("groups and labels points", () => {
    const pts = [
      point({ hardware: "h200", framework: "sglang", tp: 8 }),
      point({ hardware: "h200", framework: "trt", tp: 4 }),
      point({ hardware: "h200", framework: "sglang", tp: 4, spec: "mtp" }),
      point({ hardware: "b200", disagg: { prefill: 2, decode: 6 } }),
    ];
    expect(groupPoints(pts).map((g) => [g.label, g.items.length])).toEqual([
      ["dsr1 1024/1024 b200 sglang fp8 disagg", 1],
      ["dsr1 1024/1024 h200 sglang fp8 mtp agg", 1],
      ["dsr1 1024/1024 h200 sglang fp8 agg", 1],
      ["dsr1 1024/1024 h200 trt fp8 agg", 1],
    ]);
    expect(
      groupPoints(pts, parseGroupBy("hardware")).map((g) => [g.label, g.items.length]),
    ).toEqual([
      ["dsr1 1024/1024 b200", 1],
      ["dsr1 1024/1024 h200", 3],
    ]);
    expect(groupPoints(pts, parseGroupBy("hardware,tp")).map((g) => g.label)).toEqual([
      "dsr1 1024/1024 b200 ptp1/dtp8", // the fixture has no prefill pool: tp defaults to 1
      "dsr1 1024/1024 h200 tp4",
      "dsr1 1024/1024 h200 tp8",
    ]);
  });

  it("never pools points of other workload kinds of one ISL/OSL: sessions are their own groups", () => {
    const random = point({ hardware: "h200" });
    const groups = groupPoints([random, session(4), session(4, 2000), session(8), session(4)]);
    expect(groups.map((g) => [g.label, g.items.length])).toEqual([
      ["dsr1 1024/1024 h200 sglang fp8 agg", 1],
      ["dsr1 1024/1024 session x4 think 2000 ms h200 sglang fp8 agg", 1],
      ["dsr1 1024/1024 session x4 h200 sglang fp8 agg", 2],
      ["dsr1 1024/1024 session x8 h200 sglang fp8 agg", 1],
    ]);
    // pooling every other dimension still keeps the workloads apart
    expect(groupPoints([random, session(4)], parseGroupBy("hardware"))).toHaveLength(2);
  });

  it("keeps points of different dataset files apart, and one file under different folders together", () => {
    const file = (kind: string, dataset: string | undefined, extra = {}) => {
      const p = point({ hardware: "h200" });
      p.config.workload = { ...p.config.workload, kind, dataset, ...extra };
      return p;
    };
    const groups = groupPoints([
      file("sharegpt", "/data/ShareGPT_V3.json"),
      file("sharegpt", "C:\\bench\\ShareGPT_V3.json"),
      file("sharegpt", "lmsys-chat.json"),
      file("jsonl", "runs/prompts.jsonl"),
      file("session", "chat.json", { turns: 4, thinkTimeMs: 500 }),
      file("session", undefined, { turns: 4, thinkTimeMs: 500 }),
    ]);
    expect(groups.map((g) => [g.label, g.items.length])).toEqual([
      ["dsr1 1024/1024 jsonl prompts.jsonl h200 sglang fp8 agg", 1],
      ["dsr1 1024/1024 session chat.json x4 think 500 ms h200 sglang fp8 agg", 1],
      ["dsr1 1024/1024 session x4 think 500 ms h200 sglang fp8 agg", 1],
      ["dsr1 1024/1024 sharegpt ShareGPT_V3.json h200 sglang fp8 agg", 2],
      ["dsr1 1024/1024 sharegpt lmsys-chat.json h200 sglang fp8 agg", 1],
    ]);
    // a bare kind still selects every file of it
    const sharegpt = parseFilterExpression("workload=sharegpt");
    expect(groups.flatMap((g) => g.items).filter((p) => matchesFilter(p, sharegpt))).toHaveLength(
      3,
    );
  });

  it("filters by workload kind: a group's kind exactly, or a bare kind for all of it", () => {
    const random = point({ hardware: "h200" });
    const points = [random, session(4), session(4, 2000), session(8)];
    const kinds = (expression: string) =>
      points
        .filter((p) => matchesFilter(p, parseFilterExpression(expression)))
        .map((p) => workloadKind(p.config.workload));
    expect(kinds("workload=random")).toEqual(["random"]);
    expect(kinds("workload=session")).toEqual([
      "session x4",
      "session x4 think 2000 ms",
      "session x8",
    ]);
    expect(kinds("workload=session x4")).toEqual(["session x4"]);
    expect(kinds("workload=session x8|random")).toEqual(["random", "session x8"]);
    // a prefix of a word is not a kind
    expect(kinds("workload=sess")).toEqual([]);
  });

  it("filters by the server's image, as written (a tag's case is its own); a point without one has none", () => {
    const on = (image?: string) => {
      const p = point({ hardware: "h200" });
      if (image) p.config.image = image;
      return p;
    };
    const points = [on("lmsysorg/sglang:v0.5.12-rocm700"), on("eng:RC1"), on()];
    const images = (expression: string) =>
      points
        .filter((p) => matchesFilter(p, parseFilterExpression(expression)))
        .map((p) => p.config.image ?? "none");
    expect(parseFilterExpression("image=eng:RC1|eng:rc2, hardware=H200")).toEqual({
      image: ["eng:RC1", "eng:rc2"],
      hardware: ["h200"],
    });
    expect(images("image=eng:RC1")).toEqual(["eng:RC1"]);
    expect(images("image=eng:rc1")).toEqual([]);
    expect(images("image=lmsysorg/sglang:v0.5.12-rocm700|eng:RC1")).toEqual([
      "lmsysorg/sglang:v0.5.12-rocm700",
      "eng:RC1",
    ]);
    expect(images("hardware=h200")).toEqual(["lmsysorg/sglang:v0.5.12-rocm700", "eng:RC1", "none"]);
  });

  it("filters by the serving software's release: the engine's version, else the image's tag; a build of it matches", () => {
    const on = (software: { version?: string; image?: string }) => {
      const p = point({ hardware: "h200" });
      if (software.version) p.config.frameworkVersion = software.version;
      if (software.image) p.config.image = software.image;
      return p;
    };
    const points = [
      on({ version: "0.11.0" }),
      on({ version: "0.11.0", image: "vllm/vllm-openai:v0.10.2" }), // the server's word over the tag
      on({ image: "lmsysorg/sglang:v0.5.12-rocm700-mi35x" }),
      on({ image: "lmsysorg/sglang:V0.5.1-rocm700-mi35x" }),
      on({ image: "nvcr.io/nvidia/tensorrt-llm/release:1.1.0rc2" }),
      on({}),
    ];
    const versions = (expression: string) =>
      points
        .map((p, i) => (matchesFilter(p, parseFilterExpression(expression)) ? i : -1))
        .filter((i) => i >= 0);
    expect(parseFilterExpression("version=V0.11.0|0.5, hardware=h200")).toEqual({
      version: ["v0.11.0", "0.5"],
      hardware: ["h200"],
    });
    expect(versions("version=0.11.0")).toEqual([0, 1]);
    expect(versions("version=v0.11")).toEqual([0, 1]);
    expect(versions("version=0.10.2")).toEqual([]);
    // a release and its builds, never a longer number: 0.5.1 is not 0.5.12
    expect(versions("version=0.5.12")).toEqual([2]);
    expect(versions("version=0.5.1")).toEqual([3]);
    expect(versions("version=0.5")).toEqual([2, 3]);
    expect(versions("version=1.1.0")).toEqual([4]);
    expect(versions("version=1.1.0rc2|0.11.0")).toEqual([0, 1, 4]);
    expect(versions("version=1")).toEqual([4]);
    // +version groups the same way: the engine's version, else the image's tag
    expect(
      groupPoints(points, parseGroupBy("+version")).map((g) => g.label.split(" ").at(-1)),
    ).toEqual(["-", "1.1.0rc2", "V0.5.1-rocm700-mi35x", "v0.11.0", "v0.5.12-rocm700-mi35x"]);
  });

  it("parses filter expressions", () => {
    expect(parseFilterExpression("hardware=gb200,precision=fp4,spec=mtp")).toEqual({
      hardware: ["gb200"],
      precision: ["fp4"],
      spec: ["mtp"],
    });
    expect(parseFilterExpression("gpu=h100|H200, isl=1024, disagg=false, from=2025-10-01")).toEqual(
      {
        hardware: ["h100", "h200"],
        isl: 1024,
        disaggregated: false,
        dateFrom: "2025-10-01",
      },
    );
    expect(() => parseFilterExpression("hardware")).toThrow(/"hardware" is not key=value/);
    expect(() => parseFilterExpression("colour=red")).toThrow(/unknown key "colour"/);
    expect(() => parseFilterExpression("isl=1k")).toThrow(/isl must be an integer/);
  });

  it("refuses from/to days that are not YYYY-MM-DD (they are compared with run days as text)", () => {
    expect(parseFilterExpression("from=2025-10-01,to=2026-01-31")).toEqual({
      dateFrom: "2025-10-01",
      dateTo: "2026-01-31",
    });
    // "2026-1-5" sorts after every "2026-01-.." day: as text it would select nothing of January
    expect(() => parseFilterExpression("hardware=b200,from=2026-1-5")).toThrow(
      'filter "hardware=b200,from=2026-1-5": from must be a day YYYY-MM-DD, got "2026-1-5"',
    );
    expect(() => parseFilterExpression("to=yesterday")).toThrow(
      'filter "to=yesterday": to must be a day YYYY-MM-DD, got "yesterday"',
    );
    expect(() => parseFilterExpression("to=2026-13-01")).toThrow(/to must be a day YYYY-MM-DD/);
  });

  it("selects the latest point of each configuration and concurrency, as of a date, or all", () => {
    const a1 = point({ conc: 4, date: "2025-10-01", tput: 1 });
    const a2 = point({ conc: 4, date: "2025-12-01", tput: 2 });
    const a3 = point({ conc: 4, date: "2026-02-01", tput: 3 });
    const b1 = point({ conc: 16, date: "2025-10-01", tput: 4 });
    const all = [a1, a2, a3, b1];
    expect(selectPointSet(all)).toEqual([a3, b1]);
    expect(selectPointSet(all, { kind: "latest", asOf: "2025-12-31" })).toEqual([a2, b1]);
    expect(selectPointSet(all, { kind: "latest", asOf: "2025-09-30" })).toEqual([]);
    expect(selectPointSet(all, { kind: "all" })).toEqual(all);
  });

  it("takes the latest point in time, whatever the form of its run date (as the store does)", () => {
    const later = point({ conc: 4, date: "2026-07-01T08:00:00Z", tput: 1 });
    // 07:00 UTC, which sorts after 08:00Z as text
    const offset = point({ conc: 4, date: "2026-07-01T12:00:00+05:00", tput: 2 });
    expect(selectPointSet([later, offset])).toEqual([later]);
    expect(selectPointSet([offset, later])).toEqual([later]);
    // a space before the time sorts before "T" as text
    const spaced = point({ conc: 8, date: "2026-07-02 23:00:00Z", tput: 3 });
    const earlier = point({ conc: 8, date: "2026-07-02T01:00:00Z", tput: 4 });
    expect(selectPointSet([spaced, earlier])).toEqual([spaced]);
  });
});
