import { fromInferencexApiRow, type PointResult } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { findDuplicates } from "./import-duplicates.js";

const RUN = "https://github.com/SemiAnalysisAI/InferenceX/actions/runs/27213443242/attempts/1";

/** An API row as the history file has it (no image, no mean/std); `rich` adds what the latest file adds. */
function row(conc: number, extra: Record<string, unknown> = {}, rich = false): PointResult {
  const mapped = fromInferencexApiRow({
    hardware: "mi355x",
    framework: "sglang",
    model: "dsr1",
    precision: "fp4",
    spec_method: "none",
    disagg: false,
    prefill_tp: 8,
    decode_tp: 8,
    num_prefill_gpu: 8,
    num_decode_gpu: 8,
    isl: 1024,
    osl: 1024,
    conc,
    date: "2026-06-11",
    run_url: RUN,
    ...(rich ? { image: "lmsysorg/sglang:v0.5.12-rocm700-mi35x" } : {}),
    ...extra,
    metrics: {
      tput_per_gpu: 346.8,
      median_intvty: 88.83,
      median_tpot: 0.0113,
      ...(rich ? { mean_intvty: 87.9, std_intvty: 3.1, mean_tpot: 0.0114 } : {}),
      ...(extra.metrics as object | undefined),
    },
  });
  if (!mapped.ok) throw new Error(mapped.reason);
  return mapped.point;
}

describe("findDuplicates", () => {
  it("keeps the copy with image and more metrics, whichever file comes first", () => {
    expect(findDuplicates([[row(16, {}, true)], [row(16)]])).toEqual([
      { file: 1, index: 0, of: { file: 0, index: 0 } },
    ]);
    expect(findDuplicates([[row(16)], [row(16, {}, true)]])).toEqual([
      { file: 0, index: 0, of: { file: 1, index: 0 } },
    ]);
  });

  it("merges copies within one file and identical copies (the first one stays)", () => {
    expect(findDuplicates([[row(16), row(8), row(16, {}, true)], [row(8)]])).toEqual([
      { file: 0, index: 0, of: { file: 0, index: 2 } },
      { file: 1, index: 0, of: { file: 0, index: 1 } },
    ]);
  });

  it("keeps rows that are other measurements: load level, date, run or configuration differ", () => {
    const base = row(16, {}, true);
    expect(
      findDuplicates([
        [base],
        [
          row(8),
          row(16, { date: "2026-06-10" }),
          row(16, { run_url: `${RUN}x` }),
          row(16, { prefill_tp: 4, decode_tp: 4, num_prefill_gpu: 4, num_decode_gpu: 4 }),
        ],
      ]),
    ).toEqual([]);
  });

  it("keeps both copies when their values disagree, and rows without a run link", () => {
    expect(
      findDuplicates([[row(16, {}, true)], [row(16, { metrics: { median_intvty: 90 } })]]),
    ).toEqual([]);
    expect(
      findDuplicates([[row(16, { run_url: undefined }, true)], [row(16, { run_url: undefined })]]),
    ).toEqual([]);
  });

  it("takes copies that differ only in provenance (importedFrom) for copies, and keeps the richer", () => {
    const from = (point: PointResult, label: string) => {
      point.run.importedFrom = label;
      return point;
    };
    // an exported row read back: another shape's label, the model key as its model id, no image
    const exported = from(row(16, { model: "dsr1" }), "inferencex:agg");
    exported.config.modelId = "dsr1";
    expect(findDuplicates([[from(row(16, {}, true), "inferencex:api")], [exported]])).toEqual([
      { file: 1, index: 0, of: { file: 0, index: 0 } },
    ]);
    // equal but for the label: the first one stays, whichever label it has
    expect(
      findDuplicates([[from(row(16), "inferencex:agg")], [from(row(16), "inferencex:api")]]),
    ).toEqual([{ file: 1, index: 0, of: { file: 0, index: 0 } }]);
    // a model id that says more than the key is a value: the copy without it is the duplicate
    const withId = from(row(16), "inferencex:agg");
    withId.config.modelId = "deepseek-ai/DeepSeek-R1-0528";
    expect(findDuplicates([[from(row(16), "inferencex:api")], [withId]])).toEqual([
      { file: 0, index: 0, of: { file: 1, index: 0 } },
    ]);
    // and one that disagrees with the other copy's keeps both
    const otherId = from(row(16), "inferencex:api");
    otherId.config.modelId = "deepseek-ai/DeepSeek-R1";
    expect(findDuplicates([[otherId], [withId]])).toEqual([]);
  });
});
