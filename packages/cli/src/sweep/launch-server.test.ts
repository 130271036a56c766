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
      "sim serve --model dsr1 --hardware h200 --framework sim --precision fp8 --gpus 8 --tp 8 --ep 1 --max-model-len 2304 --max-running 64 --host 127.0.0.1 --port 8123 --speed 10",
    );
  });

  it("leaves the context length to the recipe's options when they set it", () => {
    const s = spec({ maxModelLen: 4096 });
    const args = simulatorArgs(s, planSweep(s).servers[0]!, 8123);
    expect(
      args.filter((a, i) => a === "--max-model-len" || args[i - 1] === "--max-model-len"),
    ).toEqual(["--max-model-len", "4096"]);
  });
});
