import { type Catalog, DEFAULT_CATALOG } from "../catalog/catalog.js";

/** InferenceX model prefixes (`infmax_model_prefix`) whose catalog key differs. */
const PREFIX_ALIASES: Record<string, string> = {
  gptoss: "gptoss120b",
  "gpt-oss": "gptoss120b",
  llama70b: "llama70b",
  "llama3.3-70b": "llama70b",
};

/** Hugging Face id fragments of catalog models, for rows that only carry a model id or a local path. */
const ID_PATTERNS: readonly [RegExp, string][] = [
  [/deepseek-r1/i, "dsr1"],
  [/gpt-oss-120b/i, "gptoss120b"],
  [/llama-3\.3-70b/i, "llama70b"],
];

/**
 * The model key of an InferenceX row: its `infmax_model_prefix` (aliased to a catalog key where one exists),
 * else the catalog model whose Hugging Face id, or a known fragment of it, the `model` field names
 * (`deepseek-ai/DeepSeek-R1-0528`, `/models/DeepSeek-R1-0528`, `amd/DeepSeek-R1-0528-MXFP4-Preview`).
 * The models are `catalog`'s: the built-in ones, or with a user's override applied, whose models are then known too.
 * Undefined when neither names a model.
 * @example inferencexModelKey("gptoss", "openai/gpt-oss-120b") // "gptoss120b"
 */
export function inferencexModelKey(
  prefix: unknown,
  model: unknown,
  catalog: Catalog = DEFAULT_CATALOG,
): string | undefined {
  if (typeof prefix === "string" && prefix.trim()) {
    const p = prefix.trim().toLowerCase();
    return PREFIX_ALIASES[p] ?? p;
  }
  if (typeof model !== "string" || !model.trim()) return undefined;
  const id = model.trim();
  const lower = id.toLowerCase();
  const exact = Object.values(catalog.models).find(
    (m) =>
      m.key === lower ||
      m.hfId.toLowerCase() === lower ||
      lower.endsWith(`/${m.hfId.split("/").at(-1)!.toLowerCase()}`),
  );
  if (exact) return exact.key;
  return ID_PATTERNS.find(([re]) => re.test(id))?.[1];
}
