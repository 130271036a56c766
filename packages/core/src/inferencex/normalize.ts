import { type Catalog, DEFAULT_CATALOG } from "../catalog/catalog.js";

/**
 * A runner label without the namespace of InferenceX's runner pools (`cluster:b300-nv`, the label its single-node
 * jobs run on, and write as `hw`, since 2026-07), lower-cased.
 */
const runnerLabel = (label: string) =>
  label
    .trim()
    .toLowerCase()
    .replace(/^cluster:/, "");

/** The first word of a hardware label, the GPU it names (`b200` of `b200-trt`, `mi355x` of `cluster:mi355x-amds`). */
const gpuWord = (label: string) => runnerLabel(label).split(/[-_ ]/)[0] ?? "";

/** A letter or digit of any script: a key followed by one is part of a longer name. */
const ALPHANUMERIC = /^[\p{L}\p{N}]$/u;

/**
 * Maps an InferenceX hardware or runner label (`b200-trt`, `h200-nb`, `gb200-nv`, `mi355x-amd_0`, `cluster:b300-nv`) to a GPU key of
 * the catalog: the built-in one, or one with a user's override applied, whose new GPUs are then known too. The label
 * must start with the key and go on, if at all, with a character other than a letter or digit (`-`, `_`, ...):
 * `h1000` names no `h100`. Returns undefined when no GPU of the catalog is named.
 * @example normalizeHardware("mi355x-amd_0") // "mi355x"
 */
export function normalizeHardware(
  label: string,
  catalog: Catalog = DEFAULT_CATALOG,
): string | undefined {
  const lower = runnerLabel(label);
  // the longest key the label starts with: `rtx6000-bw` of `rtx6000-bw_0`, not `rtx6000`
  return Object.keys(catalog.gpus)
    .sort((a, b) => b.length - a.length)
    .find((key) => {
      const k = key.toLowerCase();
      return lower.startsWith(k) && !ALPHANUMERIC.test(lower.charAt(k.length));
    });
}

/**
 * Why a row whose hardware `normalizeHardware` does not know is skipped, and how to declare its GPU.
 * @example unknownHardware("rtx6000-nv") // 'unknown hardware "rtx6000-nv": the catalog has no GPU "rtx6000"; ...'
 */
export function unknownHardware(label: string): string {
  return `unknown hardware "${label}": the catalog has no GPU "${gpuWord(label)}"; declare it with its figures under gpus: in a catalog override file (--catalog FILE or INFERMARK_CATALOG=FILE; docs/catalog.md)`;
}

/** InferenceX framework aliases and the disaggregation they imply. */
const FRAMEWORK_ALIASES: Record<string, { framework: string; disaggregated?: boolean }> = {
  "sglang-disagg": { framework: "mori-sglang", disaggregated: true },
  trtllm: { framework: "trt" },
  "tensorrt-llm": { framework: "trt" },
  "dynamo-trtllm": { framework: "dynamo-trt" },
};

/**
 * Canonical framework name, and whether the alias itself implies disaggregated serving.
 * @example normalizeFramework("sglang-disagg") // { framework: "mori-sglang", disaggregated: true }
 */
export function normalizeFramework(name: string): { framework: string; disaggregated?: boolean } {
  const lower = name.trim().toLowerCase();
  return FRAMEWORK_ALIASES[lower] ?? { framework: lower };
}

/** Precision aliases: nvfp4 and mxfp4 are fp4. */
export function normalizePrecision(precision: string): string {
  const lower = precision.trim().toLowerCase();
  return lower === "nvfp4" || lower === "mxfp4" ? "fp4" : lower;
}

/** Booleans that may arrive as strings ("true"/"false") or numbers. */
export function toBool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") {
    const lower = value.trim().toLowerCase();
    if (lower === "true" || lower === "1" || lower === "yes") return true;
    if (lower === "false" || lower === "0" || lower === "no" || lower === "") return false;
  }
  return undefined;
}

/** Images may have `#` in place of `/` (artifact file names). */
export function normalizeImage(image: string | null | undefined): string | undefined {
  return image ? image.replaceAll("#", "/") : undefined;
}
