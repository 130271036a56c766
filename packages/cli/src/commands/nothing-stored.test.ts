import { describe, expect, it } from "vitest";
import type { FileOutcome } from "./ingest.js";
import { nothingStored } from "./nothing-stored.js";

const ok = (o: Partial<FileOutcome>): FileOutcome => ({
  path: "a.json",
  status: "ok",
  inserted: 0,
  unchanged: 0,
  skipped: [],
  ...o,
});
const rows = (...reasons: string[]) => reasons.map((reason, i) => ({ row: i + 1, reason }));

describe("nothingStored", () => {
  it("says nothing while any row is in the store: inserted, already stored, or merged as a duplicate", () => {
    const skipped = rows('unknown hardware "b300": the catalog has no GPU "b300"; declare it');
    for (const stored of [
      { inserted: 1 },
      { unchanged: 1 },
      { duplicates: rows("duplicate of row 1") },
    ])
      expect(nothingStored([ok({ skipped }), ok({ ...stored, path: "b.json" })], "import")).toBe(
        undefined,
      );
  });

  it("groups skipped rows by the head of their reason, most first, and counts the reasons past three", () => {
    const line = nothingStored(
      [
        ok({
          skipped: rows(
            "failed benchmark: OOM",
            'unknown hardware "b300": the catalog has no GPU "b300"; declare it',
            "failed benchmark: server crashed",
            "metrics.tputPerGpu: Too small: expected number to be >=0",
            "no date",
            'unknown hardware "b300": the catalog has no GPU "b300"; declare it',
            "failed benchmark: timeout",
          ),
        }),
        { ...ok({ path: "x.csv" }), status: "rejected", reason: "unknown CSV" },
      ],
      "import",
    );
    expect(line).toBe(
      'nothing imported: 7 row(s) read from 2 file(s), none imported; main reasons: 3 row(s): failed benchmark; 2 row(s): unknown hardware "b300"; 1 file(s) rejected: unknown CSV; 2 other reason(s)',
    );
  });

  it("fails an ingest of no file at all, as a run that wrote nothing", () => {
    expect(nothingStored([], "ingest")).toBe(
      "nothing to store: the paths given hold no result files",
    );
  });
});
