import { describe, expect, it } from "vitest";
import { GROUP_A, GROUP_B, KEY_A, KEY_B, makeItem } from "../../../test/helpers/make-point.js";
import { DEFAULT_STATE } from "../state/view-state.js";
import { flaggedNote, flagOf } from "./flagged-points.js";
import { buildFrontierSeries } from "./frontier-series.js";

// a2's configuration and load, its throughput 10x below what its concurrency, E2EL and output tokens give
const FLAGGED_DETAIL =
  "reports 3200 output tok/s (400 per GPU x 8 decode GPUs), Little's law gives 32000 (concurrency 2 x 800000 counted output tokens / median E2EL 50.0 s): 0.100x";

describe("flagged points (Little's law)", () => {
  it("flags a point whose throughput contradicts its concurrency, E2EL and output tokens, with core's line", () => {
    const off = makeItem({ id: "f", concurrency: 2, intvty: 20, tput: 800, belowLittle: 10 });
    expect(flagOf(off.point)).toBe(FLAGGED_DETAIL);
    // 3.9x below: within the tolerance
    const near = makeItem({ id: "n", concurrency: 2, intvty: 20, tput: 800, belowLittle: 3.9 });
    expect(flagOf(near.point)).toBeUndefined();
    // an own point with its counted tokens is judged as an imported one (the overview's copies carry them:
    // slimPoint); one without them was not written by bench and is not judged on the nominal length
    const own = makeItem({
      id: "o",
      source: "measured",
      concurrency: 2,
      intvty: 20,
      tput: 800,
      belowLittle: 10,
    });
    expect(flagOf(own.point)).toBe(FLAGGED_DETAIL);
    const handMade = makeItem({
      id: "h",
      source: "measured",
      concurrency: 2,
      intvty: 20,
      tput: 800,
    });
    handMade.point.metrics.outputTokens = undefined;
    expect(flagOf(handMade.point)).toBeUndefined();
    const imported = makeItem({ id: "i", concurrency: 2, intvty: 20, tput: 800 });
    imported.point.metrics.outputTokens = undefined;
    expect(flagOf(imported.point)).toBe(
      "reports 3200 output tok/s (400 per GPU x 8 decode GPUs), Little's law gives 41.0 (concurrency 2 x 1024 nominal output tokens / median E2EL 50.0 s): 78.125x",
    );
    expect([...GROUP_A, ...GROUP_B].map((i) => flagOf(i.point))).toEqual(Array(6).fill(undefined));
  });

  it("counts the shown groups' flagged points and those on a frontier; the frontier as published", () => {
    // f1 beats a1 on throughput (on the frontier), f2 is beaten by a2 (off it); b is hidden
    const f1 = makeItem({ id: "f1", concurrency: 16, intvty: 12, tput: 1100, belowLittle: 5 });
    const f2 = makeItem({ id: "f2", concurrency: 32, intvty: 15, tput: 100, belowLittle: 5 });
    const fb = makeItem({
      ...{ id: "fb", hardware: "b200", concurrency: 16, intvty: 5, tput: 50, belowLittle: 5 },
    });
    const items = [...GROUP_A, f1, f2, ...GROUP_B, fb];
    const series = buildFrontierSeries(items, { ...DEFAULT_STATE, hidden: [KEY_B] });
    const a = series.groups.find((g) => g.key === KEY_A)!;
    expect(a.frontier.map((p) => p.id)).toEqual(["f1", "a2", "a3"]);
    expect(a.frontier[0]).toEqual({
      x: 12,
      y: 1100,
      id: "f1",
      flagged: expect.stringContaining("0.200x"),
    });
    expect(series.flagged).toEqual({ points: 2, onFrontier: 1 });
    expect(flaggedNote(series)).toBe(
      "Self-consistency: 2 of 6 points of the shown groups (1 on a frontier) report an output throughput more than 4x from Little's law (docs/metrics.md), marked ×; figures and frontiers as published.",
    );
    // a large chart marks them with squares, and the note says so
    expect(flaggedNote(series, "■")).toMatch(/\(docs\/metrics\.md\), marked ■; figures/);
    expect(flaggedNote(buildFrontierSeries(GROUP_A, DEFAULT_STATE))).toBeUndefined();
  });
});
