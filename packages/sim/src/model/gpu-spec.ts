import { basename, extname } from "node:path";
import { type GpuSpec, PRICE_TIERS, type PriceTier } from "@infermark/core";
import { SimConfigError, SimUnknownKeyError } from "../errors.js";

const REQUIRED = ["hbmGb", "hbmTbps", "tflops", "scaleUpGBps", "scaleUpDomain", "nicGbps"] as const;
const KNOWN = ["key", "name", "vendor", ...REQUIRED, "tdpW", "allInKw", "price"];
const TFLOPS_KEYS = ["bf16", "fp8", "fp4"];

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
  // another kind of file (a model's config.json) would otherwise be refused for its first field's name
  if (!REQUIRED.some((k) => k in d))
    throw new SimConfigError(`${ref}: not a GPU spec: it has none of ${REQUIRED.join(", ")}`);
  for (const k of Object.keys(d))
    if (!KNOWN.includes(k)) throw new SimUnknownKeyError(`field of GPU spec ${ref}`, k, KNOWN);
  const missing = REQUIRED.filter((k) => d[k] === undefined);
  if (missing.length) throw new SimConfigError(`${ref}: GPU spec misses ${missing.join(", ")}`);
  const tflops = d.tflops as GpuSpec["tflops"];
  if (typeof tflops?.bf16 !== "number" || typeof tflops?.fp8 !== "number")
    throw new SimConfigError(`${ref}: tflops needs bf16 and fp8 numbers`);
  // a peak under another name (fp6, int8) would be read by nothing, silently
  for (const k of Object.keys(tflops))
    if (!TFLOPS_KEYS.includes(k))
      throw new SimUnknownKeyError(`tflops precision in GPU spec ${ref}`, k, TFLOPS_KEYS);
  if (d.vendor !== undefined && d.vendor !== "nvidia" && d.vendor !== "amd")
    throw new SimConfigError(
      `${ref}: vendor must be nvidia or amd, got ${JSON.stringify(d.vendor)}`,
    );
  // power and prices feed the cost and energy figures: a word there made them NaN
  for (const k of ["tdpW", "allInKw"] as const)
    if (d[k] !== undefined && !(typeof d[k] === "number" && d[k] >= 0 && Number.isFinite(d[k])))
      throw new SimConfigError(`${ref}: ${k} must be a number >= 0, got ${JSON.stringify(d[k])}`);
  const price = { hyperscaler: 0, neocloud: 0, rental: 0 };
  if (d.price !== undefined) {
    if (typeof d.price !== "object" || d.price === null || Array.isArray(d.price))
      throw new SimConfigError(
        `${ref}: price must be a mapping of ${PRICE_TIERS.join(", ")} to $ per GPU-hour, got ${JSON.stringify(d.price)}`,
      );
    for (const [tier, v] of Object.entries(d.price)) {
      if (!(PRICE_TIERS as readonly string[]).includes(tier))
        throw new SimUnknownKeyError(`price tier in GPU spec ${ref}`, tier, PRICE_TIERS);
      if (!(typeof v === "number" && v >= 0 && Number.isFinite(v)))
        throw new SimConfigError(
          `${ref}: price.${tier} must be a number >= 0, got ${JSON.stringify(v)}`,
        );
      price[tier as PriceTier] = v;
    }
  }
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
    price,
    sources: { spec: src, price: src, power: src },
  };
}
