import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type PointResult, throughputConsistency } from "@infermark/core";
import { decodePointColumns, encodePointColumns } from "@infermark/web";
import { describe, expect, it } from "vitest";
import { slimPoint } from "./slim-point.js";

/** A measured point of `infermark bench` against `sim serve` (6 requests at concurrency 2, 81 output tokens). */
const MEASURED = JSON.parse(
  readFileSync(
    join(import.meta.dirname, "../../test/fixtures/aggregate-sim/point-c2.json"),
    "utf8",
  ),
) as PointResult;

/** What the dashboard's overview gets of a point: slimmed, sent as columns and decoded. */
const overviewCopy = (point: PointResult) =>
  decodePointColumns(encodePointColumns([{ id: "p", point: slimPoint(point) }]))[0]!.point;

describe("slimPoint", () => {
  it("keeps what the Little's-law check reads, so the overview judges a point as its run detail does", () => {
    // the same point with a throughput 10x below its figures': flagged
    const contradicting: PointResult = {
      ...MEASURED,
      metrics: {
        ...MEASURED.metrics,
        outputThroughput: MEASURED.metrics.outputThroughput! / 10,
        outputTputPerGpu: MEASURED.metrics.outputTputPerGpu! / 10,
      },
    };
    for (const point of [MEASURED, contradicting]) {
      const full = throughputConsistency(point);
      // before: the overview's copy had no counted tokens, output throughput or mean E2EL (nominal tokens, median)
      expect(throughputConsistency(overviewCopy(point))).toEqual(full);
    }
    expect(
      [MEASURED, contradicting].map((p) => {
        const c = throughputConsistency(overviewCopy(p));
        return c.kind === "checked" && c.flagged;
      }),
    ).toEqual([false, true]);
  });
});
