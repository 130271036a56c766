/** Catalog GPU keys that InferenceX hardware labels map to, longest first so `gb200` wins over `b200`. */
const GPU_KEYS = [
  "gb300",
  "gb200",
  "mi355x",
  "mi325x",
  "mi300x",
  "b300",
  "b200",
  "h200",
  "h100",
] as const;

/**
 * Maps an InferenceX hardware or runner label (`b200-trt`, `h200-nb`, `gb200-nv`, `mi355x-amd_0`) to a catalog GPU key.
 * Returns undefined when no known GPU is named.
 * @example normalizeHardware("mi355x-amd_0") // "mi355x"
 */
export function normalizeHardware(label: string): string | undefined {
  const lower = label.trim().toLowerCase();
  const base = lower.split(/[-_ ]/)[0] ?? lower;
  return GPU_KEYS.find((key) => base === key) ?? GPU_KEYS.find((key) => lower.startsWith(key));
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
