import { describe, expect, it } from "vitest";
import { SimConfigError, SimUnknownKeyError } from "../errors.js";
import { parseGpuSpec } from "./gpu-spec.js";

const SPEC = {
  hbmGb: 96,
  hbmTbps: 4,
  tflops: { bf16: 900, fp8: 1800 },
  scaleUpGBps: 450,
  scaleUpDomain: 8,
  nicGbps: 400,
};

describe("parseGpuSpec", () => {
  it("fills the optional fields and names the spec after its file", () => {
    const g = parseGpuSpec(SPEC, "my-gpu.yaml");
    expect(g).toMatchObject({
      key: "my-gpu",
      name: "my-gpu",
      vendor: "nvidia",
      hbmGb: 96,
      hbmTbps: 4,
      tflops: { bf16: 900, fp8: 1800 },
      scaleUpGBps: 450,
      scaleUpDomain: 8,
      nicGbps: 400,
      tdpW: 0,
      allInKw: 0,
      price: { hyperscaler: 0, neocloud: 0, rental: 0 },
    });
    expect(g.sources.spec).toEqual({ source: "my-gpu.yaml", date: "" });
  });

  it("keeps key, name and an AMD vendor", () => {
    const g = parseGpuSpec({ ...SPEC, key: "x1", name: "X One", vendor: "amd" }, "f.json");
    expect([g.key, g.name, g.vendor]).toEqual(["x1", "X One", "amd"]);
  });

  it("keys a spec by its key, else its name, else its file's base name, never the path (config.hardware was the path)", () => {
    const keyOf = (doc: object, ref: string) => parseGpuSpec({ ...SPEC, ...doc }, ref).key;
    expect([
      keyOf({ key: "x1", name: "X One" }, "./gpus/x.yaml"),
      keyOf({ name: "X One" }, "./gpus/x.yaml"),
      keyOf({}, "./gpus/rtx-6000.yaml"),
      keyOf({}, "/abs/specs/mi300a.json"),
      keyOf({ key: " ", name: "" }, "gpus/b200-hgx.yml"),
    ]).toEqual(["x1", "X One", "rtx-6000", "mi300a", "b200-hgx"]);
    // the file stays the spec's cited source
    expect(parseGpuSpec(SPEC, "./gpus/rtx-6000.yaml").sources.spec.source).toBe(
      "./gpus/rtx-6000.yaml",
    );
  });

  it("refuses unknown fields, missing fields and tflops without bf16/fp8", () => {
    expect(() => parseGpuSpec({ ...SPEC, hbm: 1 }, "f")).toThrow(SimUnknownKeyError);
    const { hbmTbps: _, nicGbps: __, ...partial } = SPEC;
    expect(() => parseGpuSpec(partial, "f")).toThrow("f: GPU spec misses hbmTbps, nicGbps");
    expect(() => parseGpuSpec({ ...SPEC, tflops: { bf16: 1 } }, "f")).toThrow(
      "f: tflops needs bf16 and fp8 numbers",
    );
    expect(() => parseGpuSpec("nope", "f")).toThrow(SimConfigError);
  });

  it("refuses a figure that is not a positive number, naming it", () => {
    expect(() => parseGpuSpec({ ...SPEC, hbmGb: -80 }, "f")).toThrow(
      "f: hbmGb must be a positive number, got -80",
    );
    expect(() => parseGpuSpec({ ...SPEC, hbmTbps: 0 }, "f")).toThrow(
      "f: hbmTbps must be a positive number, got 0",
    );
    expect(() => parseGpuSpec({ ...SPEC, nicGbps: "400G" }, "f")).toThrow(
      'f: nicGbps must be a positive number, got "400G"',
    );
    expect(() => parseGpuSpec({ ...SPEC, tflops: { bf16: 900, fp8: 1800, fp4: 0 } }, "f")).toThrow(
      "f: tflops.fp4 must be a positive number, got 0",
    );
    expect(() => parseGpuSpec({ ...SPEC, scaleUpDomain: 7.5 }, "f")).toThrow(
      "f: scaleUpDomain must be a whole number of GPUs, got 7.5",
    );
  });

  it("refuses what cost and energy figures would read as NaN, an unknown vendor and an unknown peak", () => {
    expect(() => parseGpuSpec({ ...SPEC, tdpW: "abc" }, "f")).toThrow(
      'f: tdpW must be a number >= 0, got "abc"',
    );
    expect(() => parseGpuSpec({ ...SPEC, price: "cheap" }, "f")).toThrow(
      'f: price must be a mapping of hyperscaler, neocloud, rental to $ per GPU-hour, got "cheap"',
    );
    expect(() => parseGpuSpec({ ...SPEC, price: { rental: "2" } }, "f")).toThrow(
      'f: price.rental must be a number >= 0, got "2"',
    );
    expect(() => parseGpuSpec({ ...SPEC, price: { spot: 1 } }, "f")).toThrow(
      'unknown price tier in GPU spec f "spot"; known: hyperscaler, neocloud, rental',
    );
    expect(() => parseGpuSpec({ ...SPEC, vendor: "intel" }, "f")).toThrow(
      'f: vendor must be nvidia or amd, got "intel"',
    );
    expect(() =>
      parseGpuSpec({ ...SPEC, tflops: { bf16: 900, fp8: 1800, fp6: 2700 } }, "f"),
    ).toThrow('unknown tflops precision in GPU spec f "fp6"; known: bf16, fp8, fp4');
    expect(() => parseGpuSpec({ ...SPEC, hbm: 1 }, "gpus/x.yaml")).toThrow(
      'unknown field of GPU spec gpus/x.yaml "hbm"; known: key, name',
    );
    expect(parseGpuSpec({ ...SPEC, price: { rental: 2.5 } }, "f").price).toEqual({
      hyperscaler: 0,
      neocloud: 0,
      rental: 2.5,
    });
  });

  it("says a document with none of a GPU's figures is not a GPU spec (a config.json given as --hardware)", () => {
    const llama = { architectures: ["LlamaForCausalLM"], hidden_size: 4096 };
    expect(() => parseGpuSpec(llama, "models/llama/config.json")).toThrow(
      "models/llama/config.json: not a GPU spec: it has none of hbmGb, hbmTbps, tflops, scaleUpGBps, scaleUpDomain, nicGbps",
    );
  });
});
