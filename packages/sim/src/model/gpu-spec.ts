import { basename, extname } from "node:path";
import type { GpuSpec } from "@infermark/core";
import { SimConfigError, SimUnknownKeyError } from "../errors.js";

const REQUIRED = ["hbmGb", "hbmTbps", "tflops", "scaleUpGBps", "scaleUpDomain", "nicGbps"] as const;
const KNOWN = ["key", "name", "vendor", ...REQUIRED, "tdpW", "allInKw", "price"];

const text = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v : undefined;

/**
 * Reads a GPU spec (YAML or JSON document): hbmGb, hbmTbps, tflops {bf16, fp8, fp4?}, scaleUpGBps,
 * scaleUpDomain, nicGbps; optional key, name, vendor, tdpW, allInKw, price. Its key, which PointResults record as
 * `config.hardware` (what the dashboard groups by), is the spec's `key`, else its `name`, else the base name of
 * `ref` without its extension (`gpus/rtx6000.yaml` gives `rtx6000`), never the path.
 * @example parseGpuSpec({ hbmGb: 96, hbmTbps: 4, tflops: { bf16: 900, fp8: 1800 }, scaleUpGBps: 450, scaleUpDomain: 8, nicGbps: 400 }, "x")
 */
export function parseGpuSpec(doc: unknown, ref: string): GpuSpec {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new SimConfigError(`${ref}: a GPU spec is a mapping of ${REQUIRED.join(", ")}`);
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d))
    if (!KNOWN.includes(k)) throw new SimUnknownKeyError("GPU spec field", k, KNOWN);
  const missing = REQUIRED.filter((k) => d[k] === undefined);
  if (missing.length) throw new SimConfigError(`${ref}: GPU spec misses ${missing.join(", ")}`);
  const tflops = d.tflops as GpuSpec["tflops"];
  if (typeof tflops?.bf16 !== "number" || typeof tflops?.fp8 !== "number")
    throw new SimConfigError(`${ref}: tflops needs bf16 and fp8 numbers`);
  // a zero, negative or non-numeric figure would turn every step time into NaN or Infinity
  const figures: [string, unknown][] = [
    ...(["hbmGb", "hbmTbps", "scaleUpGBps", "scaleUpDomain", "nicGbps"] as const).map(
      (k): [string, unknown] => [k, d[k]],
    ),
    ...Object.entries(tflops).map(([k, v]): [string, unknown] => [`tflops.${k}`, v]),
  ];
  for (const [name, v] of figures)
    if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v))
      throw new SimConfigError(
        `${ref}: ${name} must be a positive number, got ${JSON.stringify(v)}`,
      );
  if (!Number.isInteger(d.scaleUpDomain))
    throw new SimConfigError(
      `${ref}: scaleUpDomain must be a whole number of GPUs, got ${d.scaleUpDomain}`,
    );
  const key = text(d.key) ?? text(d.name) ?? basename(ref, extname(ref));
  const src = { source: ref, date: "" };
  return {
    key,
    name: text(d.name) ?? key,
    vendor: d.vendor === "amd" ? "amd" : "nvidia",
    hbmGb: Number(d.hbmGb),
    hbmTbps: Number(d.hbmTbps),
    tflops,
    scaleUpGBps: Number(d.scaleUpGBps),
    scaleUpDomain: Number(d.scaleUpDomain),
    nicGbps: Number(d.nicGbps),
    tdpW: Number(d.tdpW ?? 0),
    allInKw: Number(d.allInKw ?? 0),
    price: (d.price as GpuSpec["price"]) ?? { hyperscaler: 0, neocloud: 0, rental: 0 },
    sources: { spec: src, price: src, power: src },
  };
}
