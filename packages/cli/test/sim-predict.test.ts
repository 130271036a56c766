import { describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

/** `sim predict` of DeepSeek-R1 on 8 H200, a short workload. */
const PREDICT = [
  "sim",
  "predict",
  "--model",
  "dsr1",
  "--hardware",
  "h200",
  "--tp",
  "8",
  "--isl",
  "1024",
  "--osl",
  "64",
  "--requests",
  "4",
];

describe("infermark sim predict", () => {
  it.each(["0", "abc", "1,,2", "-1"])(
    "refuses --rate %s with one line naming the flag (it used to run forever)",
    async (rate) => {
      const r = await runCli([...PREDICT, "--rate", rate], { timeoutMs: 30_000 });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")[0]).toBe(
        `error: option '--rate <list>' argument '${rate}' is invalid. --rate expects a comma-separated list of positive numbers, got "${rate}"`,
      );
    },
    40_000,
  );
});
