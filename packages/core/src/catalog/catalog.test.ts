import { describe, expect, it } from "vitest";
import { RTX6000 } from "../../test/fixtures/rtx6000-override.js";
import { UnknownKeyError, ValidationError } from "../errors.js";
import {
  applyCatalogOverrides,
  DEFAULT_CATALOG,
  getGpu,
  getModel,
  gpuHourPrice,
} from "./catalog.js";

describe("catalog", () => {
  it("carries CATALOG.md's figures with their sources", () => {
    const b200 = getGpu("b200");
    expect(b200.hbmGb).toBe(180);
    expect(b200.tflops).toEqual({ bf16: 2250, fp8: 4500, fp4: 9000 });
    expect(b200.price).toEqual({ hyperscaler: 1.95, neocloud: 2.34, rental: 2.9 });
    expect(b200.allInKw).toBe(2.17);
    expect(b200.sources.spec.note).toBe("HBM bandwidth 7.7 TB/s elsewhere");
    expect(b200.sources.price.date).toBe("2026-04");
    expect(getGpu("gb200").scaleUpDomain).toBe(72);
    expect(Object.keys(DEFAULT_CATALOG.gpus)).toEqual([
      "h100",
      "h200",
      "b200",
      "b300",
      "gb200",
      "gb300",
      "mi300x",
      "mi325x",
      "mi355x",
    ]);
  });

  it("knows the models' KV per token", () => {
    expect(getModel("dsr1").kvElementsPerToken).toBe(35136);
    expect(getModel("meta-llama/Llama-3.3-70B-Instruct").kvElementsPerToken).toBe(163840);
    expect(getModel("gptoss120b").kvElementsPerToken).toBe(36864);
  });

  it("rejects unknown keys, listing the known ones", () => {
    expect(() => getGpu("a100")).toThrow(
      'unknown GPU "a100"; known: h100, h200, b200, b300, gb200, gb300, mi300x, mi325x, mi355x',
    );
    expect(() => getModel("llama8b")).toThrow(UnknownKeyError);
    expect(() => gpuHourPrice(getGpu("h100"), "spot" as never)).toThrow(
      'unknown price tier "spot"; known: hyperscaler, neocloud, rental',
    );
  });
});

describe("applyCatalogOverrides", () => {
  it("replaces a figure and marks the user as its source", () => {
    const cat = applyCatalogOverrides(DEFAULT_CATALOG, {
      gpus: {
        h100: {
          price: { neocloud: 2.1 },
          source: { source: "our 2026 contract", date: "2026-10" },
        },
      },
    });
    expect(cat.gpus.h100!.price).toEqual({ hyperscaler: 1.3, neocloud: 2.1, rental: 1.3 });
    expect(cat.gpus.h100!.sources.price).toEqual({ source: "our 2026 contract", date: "2026-10" });
    expect(cat.gpus.h100!.sources.spec).toEqual(DEFAULT_CATALOG.gpus.h100!.sources.spec);
    expect(DEFAULT_CATALOG.gpus.h100!.price.neocloud).toBe(1.69); // the default is untouched
  });

  it("cites figures overridden without a source as the user's, with no date (none was given)", () => {
    const cat = applyCatalogOverrides(DEFAULT_CATALOG, {
      gpus: { h100: { price: { neocloud: 2.1 } } },
      models: { dsr1: { maxContext: 131072 } },
    });
    expect(cat.gpus.h100!.sources.price).toEqual({ source: "user override file", date: "" });
    expect(cat.models.dsr1!.source).toEqual({ source: "user override file", date: "" });
  });

  it("cites the user for any spec figure the override sets: TDP, NIC and domain too", () => {
    const cat = applyCatalogOverrides(DEFAULT_CATALOG, {
      gpus: { h100: { tdpW: 800 }, h200: { nicGbps: 800 }, b200: { scaleUpDomain: 72 } },
    });
    for (const key of ["h100", "h200", "b200"]) {
      expect(cat.gpus[key]!.sources.spec, key).toEqual({ source: "user override file", date: "" });
      expect(cat.gpus[key]!.sources.price, key).toEqual(DEFAULT_CATALOG.gpus[key]!.sources.price);
    }
    expect(cat.gpus.h100!.tdpW).toBe(800);
  });

  it("refuses keys that could never be looked up: a GPU key with capitals, a built-in model's key in other case", () => {
    const problems = (raw: unknown) => {
      try {
        applyCatalogOverrides(DEFAULT_CATALOG, raw);
      } catch (error) {
        return (error as ValidationError).issues;
      }
      return [];
    };
    // getGpu looks keys up lower-cased: "H100" would sit beside h100, never found
    expect(problems({ gpus: { H100: { ...RTX6000 } } })).toEqual([
      {
        path: "gpus.H100",
        message: 'GPU keys are lower case: write "h100" to override the built-in GPU\'s figures',
      },
    ]);
    expect(problems({ gpus: { RTX6000 } })).toEqual([
      {
        path: "gpus.RTX6000",
        message:
          'GPU keys are lower-case letters, digits, ".", "_" and "-" (GPUs are looked up lower-cased): write "rtx6000"',
      },
    ]);
    expect(problems({ models: { DSR1: { maxContext: 1000 } } })).toEqual([
      {
        path: "models.DSR1",
        message:
          'model keys are case-sensitive: write "dsr1" to override the built-in model\'s figures',
      },
    ]);
  });

  it("lists every problem of a file with its place, not only the first", () => {
    expect(() =>
      applyCatalogOverrides(DEFAULT_CATALOG, {
        gpus: {
          h100: { prise: { neocloud: 2 }, price: { neocloud: -2, spot: 1 } },
          rtx: { name: "RTX", hbmGb: 96 },
        },
        models: { dsr1: { layerz: 3 } },
      }),
    ).toThrow(
      'catalog override is invalid: gpus.h100: unknown gpu field "prise"; known: name, vendor, hbmGb, hbmTbps, tflops, scaleUpGBps, scaleUpDomain, nicGbps, tdpW, allInKw, price, source; ' +
        'gpus.h100.price: unknown price field "spot"; known: hyperscaler, neocloud, rental; ' +
        'models.dsr1: unknown model field "layerz"; known: hfId, layers, hidden, vocab, attention, ffn, moe, activeParamsB, totalParamsB, mtpParamsB, fp4NonExpert, tiedEmbeddings, kvElementsPerToken, maxContext, source; ' +
        "gpus.h100.price.neocloud: Too small: expected number to be >0; " +
        "gpus.rtx: a new gpu needs every figure; missing: vendor, hbmTbps, tflops, scaleUpGBps, scaleUpDomain, nicGbps, tdpW, allInKw, price",
    );
  });

  it("rejects an unknown field, listing the known ones", () => {
    expect(() => applyCatalogOverrides(DEFAULT_CATALOG, { gpus: { h100: { hbm: 96 } } })).toThrow(
      /unknown gpu field "hbm"; known: name, vendor, hbmGb, hbmTbps, tflops, /,
    );
    expect(() => applyCatalogOverrides(DEFAULT_CATALOG, { accelerators: {} })).toThrow(
      'unknown catalog section "accelerators"; known: gpus, models',
    );
  });

  it("adds a new GPU only with every figure", () => {
    expect(() =>
      applyCatalogOverrides(DEFAULT_CATALOG, { gpus: { rtx6000: { hbmGb: 96 } } }),
    ).toThrow(ValidationError);
    const cat = applyCatalogOverrides(DEFAULT_CATALOG, { gpus: { rtx6000: RTX6000 } });
    expect(getGpu("rtx6000", cat).hbmTbps).toBe(1.8);
  });

  it("adds a new GPU only with its BF16 and FP8 TFLOPS and every price tier", () => {
    expect(() =>
      applyCatalogOverrides(DEFAULT_CATALOG, {
        gpus: { rtx6000: { ...RTX6000, tflops: { fp4: 2000 }, price: { hyperscaler: 1 } } },
      }),
    ).toThrow(
      "a new gpu needs every figure; missing: tflops.bf16, tflops.fp8, price.neocloud, price.rental",
    );
  });

  it("takes a model's attention and experts only whole, since they replace the model's own", () => {
    expect(() =>
      applyCatalogOverrides(DEFAULT_CATALOG, {
        models: { llama70b: { attention: { kind: "gqa", heads: 64 } } },
      }),
    ).toThrow(
      "catalog override is invalid: models.llama70b.attention.kvHeads: Invalid input: expected number, received undefined; models.llama70b.attention.headDim: Invalid input: expected number, received undefined",
    );
    expect(() =>
      applyCatalogOverrides(DEFAULT_CATALOG, { models: { dsr1: { moe: { topK: 6 } } } }),
    ).toThrow("models.dsr1.moe.routedExperts: Invalid input: expected number, received undefined");
    const cat = applyCatalogOverrides(DEFAULT_CATALOG, {
      models: { llama70b: { attention: { kind: "gqa", heads: 64, kvHeads: 16, headDim: 128 } } },
    });
    expect(getModel("llama70b", cat).attention).toEqual({
      kind: "gqa",
      heads: 64,
      kvHeads: 16,
      headDim: 128,
    });
  });
});
