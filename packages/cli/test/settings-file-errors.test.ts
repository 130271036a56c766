import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

describe("a catalog override or calibration file that cannot be used: one line saying why", () => {
  const dir = mkdtempSync(join(tmpdir(), "infermark-settings-files-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const missing = join(dir, "nonexistent.yaml");
  const badJson = join(dir, "calib.json");
  // a key pasted where a value goes: V8's message would quote it
  writeFileSync(badJson, '{\n  "factors": sk-live-1234567890\n}\n');

  it("names why the file cannot be read, from --catalog or INFERMARK_CATALOG", async () => {
    const runs = await Promise.all([
      runCli(["frontier", "--catalog", missing]),
      runCli(["cost"], { env: { INFERMARK_CATALOG: dir } }),
    ]);
    expect(runs.map((r) => [r.code, r.stdout, r.stderr])).toEqual([
      [1, "", `infermark: ${missing}: cannot read the catalog override file: no such file\n`],
      [
        1,
        "",
        `infermark: ${dir}: cannot read the catalog override file (from INFERMARK_CATALOG): is a folder\n`,
      ],
    ]);
  }, 60_000);

  it("names a URL given as the file without its credentials", async () => {
    const token =
      "https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@raw.githubusercontent.com/o/r/c.yaml";
    const presigned =
      "https://b.s3.amazonaws.com/c.yaml?X-Amz-Credential=AKIA0SECRET&X-Amz-Expires=60&X-Amz-Signature=0SECRET";
    const runs = await Promise.all([
      runCli(["frontier", "--catalog", token]),
      runCli(["cost"], { env: { INFERMARK_CATALOG: presigned } }),
    ]);
    // before, the token and the signature were shown whole
    expect(runs.map((r) => [r.code, r.stdout, r.stderr])).toEqual([
      [
        1,
        "",
        "infermark: https://***@raw.githubusercontent.com/o/r/c.yaml: cannot read the catalog override file: no such file\n",
      ],
      [
        1,
        "",
        "infermark: https://b.s3.amazonaws.com/c.yaml?X-Amz-Credential=***&X-Amz-Expires=60&X-Amz-Signature=***: cannot read the catalog override file (from INFERMARK_CATALOG): no such file\n",
      ],
    ]);
  }, 60_000);

  it("reports a malformed .json calibration file as JSON, with its place and without its text", async () => {
    const r = await runCli([
      "sim",
      "predict",
      "--model",
      "llama70b",
      "--hardware",
      "h200",
      "--isl",
      "100",
      "--osl",
      "100",
      "--calibration",
      badJson,
    ]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      "",
      `infermark: ${badJson}: malformed JSON (Unexpected token in JSON at position 15; line 2, column 14)\n`,
    ]);
  }, 60_000);

  it("validate names a malformed JSONL line without quoting it", async () => {
    const lines = join(dir, "points.jsonl");
    writeFileSync(lines, '{"schema": "infermark.point/v1", "api_key": sk-live-1234567890}\n');
    const r = await runCli(["validate", lines]);
    expect(r.code).toBe(1);
    // V8's message quoted the line, key and all
    expect(r.stdout + r.stderr).toContain(
      "line 1: malformed JSON (Unexpected token in JSON at position 44)",
    );
    expect(r.stdout + r.stderr).not.toContain("sk-live");
  });
});
