import { planSweep, SweepSpec } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { simulatorArgs } from "./launch-server.js";

const spec = (options?: Record<string, unknown>) =>
  SweepSpec.parse({
    name: "t",
    model: "dsr1",
    hardware: "h200",
    framework: "sim",
    precision: "fp8",
    scenarios: [{ isl: 1024, osl: 1024 }],
    search: { tp: [8], concurrency: [4] },
    server: { kind: "simulator", speed: 10, ...(options ? { options } : {}) },
  });

describe("simulatorArgs", () => {
  it("starts the simulator with the plan's context length, as {{maxModelLen}} gives a real engine's recipe", () => {
    const s = spec({ maxRunning: 64 });
    const args = simulatorArgs(s, planSweep(s).servers[0]!, 8123);
    expect(args.join(" ")).toBe(
      "sim serve --model dsr1 --hardware h200 --framework sim --precision fp8 --gpus 8 --tp 8 --ep 1 --max-model-len 2304 --enable-prompt-tokens-details --max-running 64 --host 127.0.0.1 --port 8123 --speed 10",
    );
  });

  it("leaves the context length to the recipe's options when they set it", () => {
    const s = spec({ maxModelLen: 4096 });
    const args = simulatorArgs(s, planSweep(s).servers[0]!, 8123);
    expect(
      args.filter((a, i) => a === "--max-model-len" || args[i - 1] === "--max-model-len"),
    ).toEqual(["--max-model-len", "4096"]);
  });

  it("passes --enable-prompt-tokens-details once, and leaves it out when the options turn it off", () => {
    const count = (options?: Record<string, unknown>) => {
      const s = spec(options);
      return simulatorArgs(s, planSweep(s).servers[0]!, 8123).filter(
        (a) => a === "--enable-prompt-tokens-details",
      ).length;
    };
    expect([
      count(),
      count({ enablePromptTokensDetails: true }),
      count({ enablePromptTokensDetails: false }),
    ]).toEqual([1, 1, 0]);
  });
});

describe("simulatorArgs: speculative decoding", () => {
  const withSpec = (model: string, specDecoding: Record<string, unknown>) =>
    SweepSpec.parse({
      name: "t",
      model,
      hardware: "h200",
      framework: "sim",
      precision: "fp8",
      scenarios: [{ isl: 1024, osl: 1024 }],
      search: { tp: [8], concurrency: [4], specDecoding: [specDecoding] },
      server: { kind: "simulator", speed: 10 },
    });
  const specArgs = (s: SweepSpec) => {
    const args = simulatorArgs(s, planSweep(s).servers[0]!, 8123);
    return args.filter(
      (a, i) => /^--(mtp|spec|acceptance)/.test(a) || /^--(mtp|spec|acc)/.test(args[i - 1] ?? ""),
    );
  };

  it("drafts MTP with the model's MTP layers, and EAGLE with a draft model (Llama has no MTP layers; it was run as MTP)", () => {
    expect(specArgs(withSpec("dsr1", { method: "mtp", draftTokens: 3 }))).toEqual([
      "--mtp-draft-tokens",
      "3",
    ]);
    expect(specArgs(withSpec("llama70b", { method: "eagle", draftTokens: 2 }))).toEqual([
      "--mtp-draft-tokens",
      "2",
      "--spec-method",
      "draft",
    ]);
  });
});
