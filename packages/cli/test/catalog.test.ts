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
    expect(sources).toContain("  h100: spec user override file; price user override file");
    // the h200's price is the built-in one (the override set its memory): cited by its source, with its date
    expect(sources).toContain(
      "  h200: spec our lab (2026-10); price InferenceX-app packages/app/src/lib/constants.ts, citing SemiAnalysis Market August 2025 Pricing Surveys & AI Cloud TCO Model (2026-04); later single-tier table: 1.22 $/GPU-h",
    );
    // an override's dated price is cited by its source, not by its date alone
    expect(sources.find((l) => l.startsWith("  b200:"))).toMatch(
      /; price our 2026 contract \(2026-10\)$/,
    );
  });
});
