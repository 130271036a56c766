import { SweepSpec } from "@infermark/core";

/**
 * A one-point sweep spec (dsr1 on h200, TP8, c4, 1024/128) against an external endpoint, with `bench` as given: the
 * spec the sweep's option and secret checks are tested on.
 */
export const externalSpec = (bench: Record<string, unknown>): SweepSpec =>
  SweepSpec.parse({
    name: "t",
    model: "dsr1",
    hardware: "h200",
    framework: "vllm",
    precision: "fp8",
    scenarios: [{ isl: 1024, osl: 128 }],
    search: { tp: [8], concurrency: [4] },
    server: { kind: "external", baseUrl: "http://127.0.0.1:8000" },
    bench,
  });
