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
        "",
      ].join("\n"),
    );
    const r = await runCliInProcess(["catalog", "gpus", "--catalog", file]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const sources = r.stdout.split("\n");
    expect(sources).toContain("  h100: spec user override file; price user override file");
    expect(sources).toContain(
      "  h200: spec our lab (2026-10); price 2026-04 (later single-tier table: 1.22 $/GPU-h)",
    );
  });
});
