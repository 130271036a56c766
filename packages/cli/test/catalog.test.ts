import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess, tempDir } from "./helpers.js";

describe("infermark catalog gpus", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterAll(() => cleanup());

  it("cites an override's figures by its source, with a date only when it gives one", async () => {
    const file = join(dir, "override.yaml");
    await writeFile(
      file,
      [
        "gpus:",
        "  h100: { hbmGb: 96, price: { neocloud: 2.1 } }",
        "  h200:",
        "    hbmGb: 150",
        '    source: { source: "our lab", date: "2026-10" }',
        "  b200:",
        "    price: { neocloud: 2.5 }",
        '    source: { source: "our 2026 contract", date: "2026-10" }',
        "",
      ].join("\n"),
    );
    const r = await runCliInProcess(["catalog", "gpus", "--catalog", file]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const sources = r.stdout.split("\n");
    const power =
      "power InferenceX-app packages/app/src/lib/constants.ts, citing SemiAnalysis Datacenter Industry Model (2026-04)";
    expect(sources).toContain(
      `  h100: spec user override file; price user override file; ${power}`,
    );
    // the h200's price is the built-in one (the override set its memory): cited by its source, with its date
    expect(sources).toContain(
      `  h200: spec our lab (2026-10); price InferenceX-app packages/app/src/lib/constants.ts, citing SemiAnalysis Market August 2025 Pricing Surveys & AI Cloud TCO Model (2026-04); later single-tier table: 1.22 $/GPU-h; ${power}`,
    );
    // an override's dated price is cited by its source, not by its date alone
    expect(sources.find((l) => l.startsWith("  b200:"))).toMatch(
      /; price our 2026 contract \(2026-10\); power InferenceX-app /,
    );
  });

  it("prints every figure of CATALOG.md's GPU tables: NIC, TDP and all-in power too, with the power's source", async () => {
    const r = await runCliInProcess(["catalog", "gpus"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const lines = r.stdout.split("\n");
    expect(lines[0]!.split(/\s{2,}/)).toEqual([
      "gpu",
      "HBM GB",
      "TB/s",
      "BF16",
      "FP8",
      "FP4",
      "scale-up GB/s/domain",
      "NIC Gb/s",
      "TDP W",
      "all-in kW",
      "$/GPU-h hyp/neo/rent",
    ]);
    const row = (key: string) =>
      lines
        .find((l) => l.startsWith(`${key} `))!
        .trim()
        .split(/\s+/);
    expect(row("b300")).toEqual([
      "b300",
      "268",
      "8",
      "2250",
      "4500",
      "13500",
      "900/8",
      "800",
      "1100",
      "2.17",
      "2.34/2.808/3.48",
    ]);
    expect(row("mi300x")).toEqual([
      "mi300x",
      "192",
      "5.3",
      "1307",
      "2615",
      "-",
      "448/8",
      "400",
      "750",
      "1.79",
      "1.12/1.4/1.55",
    ]);
    expect(lines.find((l) => l.startsWith("  gb300:"))).toMatch(
      /; power InferenceX-app packages\/app\/src\/lib\/constants\.ts, citing SemiAnalysis Datacenter Industry Model \(2026-04\)$/,
    );
  });
});

describe("infermark catalog models", () => {
  it("prints CATALOG.md's model figures (hidden size, MTP module, context) and each model's source", async () => {
    const r = await runCliInProcess(["catalog", "models"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const lines = r.stdout.split("\n");
    const row = (key: string) =>
      lines
        .find((l) => l.startsWith(`${key} `))!
        .trim()
        .split(/\s{2,}/);
    expect(row("dsr1")).toEqual([
      "dsr1",
      "deepseek-ai/DeepSeek-R1-0528",
      "61",
      "7168",
      "mla, 128 heads",
      "256 top-8 + 1 shared",
      "37B / 671B (+14B MTP)",
      "35136",
      "163840",
    ]);
    expect(row("llama70b").slice(2)).toEqual([
      "80",
      "8192",
      "gqa, 64 heads, 8 KV",
      "dense",
      "70B / 70B",
      "163840",
      "131072",
    ]);
    expect(lines).toContain(
      "  dsr1: the model's config.json on the Hugging Face hub (2025-05); KV (kv_lora 512 + rope 64) x 61 layers, not split by TP",
    );
    expect(lines).toContain(
      "  llama70b: the model's config.json on the Hugging Face hub (2025-05)",
    );
  });
});

describe("infermark catalog with a faulty override file", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterAll(() => cleanup());

  it("one line naming each problem's place, exit 1: a GPU key in capitals, an unknown price tier, a missing figure", async () => {
    const file = join(dir, "faulty.yaml");
    await writeFile(
      file,
      [
        "gpus:",
        "  H100: { price: { neocloud: 2.1 } }",
        "  h200: { price: { spot: 1.0 } }",
        "  rtx: { name: RTX, hbmGb: 96 }",
        "",
      ].join("\n"),
    );
    const r = await runCliInProcess(["catalog", "gpus", "--catalog", file]);
    expect([r.code, r.stdout]).toEqual([1, ""]);
    expect(r.stderr).toBe(
      `infermark: ${file}: catalog override is invalid: ` +
        'gpus.H100: GPU keys are lower case: write "h100" to override the built-in GPU\'s figures; ' +
        'gpus.h200.price: unknown price field "spot"; known: hyperscaler, neocloud, rental; ' +
        "gpus.rtx: a new gpu needs every figure; missing: vendor, hbmTbps, tflops, scaleUpGBps, scaleUpDomain, nicGbps, tdpW, allInKw, price\n",
    );
  });
});
