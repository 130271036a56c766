import { type Doc, fail, int } from "./hf-doc.js";

/** A model's sliding-window layers: how many, and the last tokens each attends to. */
export interface SlidingLayers {
  count: number;
  window: number;
}

/** The kinds of layer the step model has: softmax attention over the whole context, or over a window of it. */
const LAYER_TYPES = ["full_attention", "sliding_attention"];

/** Model types whose window is off unless `use_sliding_window` is true (their transformers configs default it false). */
const SWITCHED = new Set(["qwen2", "qwen2_moe", "qwen3", "qwen3_moe"]);

/** `sliding_window` where a config leaves the field out: its model type's transformers config class default. */
const DEFAULT_WINDOW: Readonly<Record<string, number>> = {
  mistral: 4096,
  qwen2: 4096,
  qwen2_moe: 4096,
  qwen3: 4096,
  qwen3_moe: 4096,
  gemma2: 4096,
  gemma3_text: 4096,
  cohere2: 4096,
  gpt_oss: 128,
};

/** `sliding_window_pattern - 1` sliding layers, then a full one (layer i slides unless (i + 1) is a multiple). */
const everyNth = (d: Doc, fallback: number) => {
  const n = int(d, "sliding_window_pattern") ?? fallback;
  if (n === 0) throw fail(d, "sliding_window_pattern must be positive, got 0");
  return (i: number) => (i + 1) % n !== 0;
};

/**
 * Which layers slide when a config lists no `layer_types`, as each model type's transformers config class derives
 * them (its `__post_init__`/`__init__`, or its model applying the window in every layer).
 */
const RULES: Readonly<Record<string, (d: Doc) => (i: number) => boolean>> = {
  // MistralModel (and MixtralModel, Phi3Model, built on it) masks every layer with config.sliding_window
  mistral: () => () => true,
  mixtral: () => () => true,
  phi3: () => () => true,
  // Qwen2Config, Qwen3Config: the layers from max_window_layers on (default 28)
  qwen2: (d) => {
    const from = int(d, "max_window_layers") ?? 28;
    return (i) => i >= from;
  },
  qwen3: (d) => RULES.qwen2!(d),
  // Gemma2Config, GptOssConfig: every other layer, from the first
  gemma2: () => (i) => i % 2 === 0,
  gpt_oss: () => (i) => i % 2 === 0,
  // Gemma3TextConfig (5 local, 1 global), Cohere2Config (3 and 1)
  gemma3_text: (d) => everyNth(d, 6),
  cohere2: (d) => everyNth(d, 4),
};

/** The window is off: `use_sliding_window: false`, or left out where the model type defaults it to false. */
const switchedOff = (d: Doc, modelType: string | undefined) =>
  d.c.use_sliding_window === false ||
  (modelType !== undefined && SWITCHED.has(modelType) && d.c.use_sliding_window !== true);

/** The window sliding layers attend to, or undefined when the config gives none (null, 0, or switched off). */
function slidingWindow(d: Doc, modelType: string | undefined): number | undefined {
  if (switchedOff(d, modelType)) return undefined;
  if (d.c.sliding_window === undefined)
    return modelType === undefined ? undefined : DEFAULT_WINDOW[modelType];
  return int(d, "sliding_window") || undefined;
}

/**
 * `layer_types`, one per layer, when the config lists them. A kind the step model does not have (Qwen3-Next's
 * "linear_attention", LFM2's "conv", Llama 4's "chunked_attention") is refused: it was costed as full attention,
 * with a KV cache of the whole context that such a layer does not keep.
 */
function listedLayerTypes(d: Doc, layers: number): unknown[] | undefined {
  const types = d.c.layer_types;
  if (!Array.isArray(types)) return undefined;
  if (types.length !== layers)
    throw fail(d, `layer_types lists ${types.length} layers, num_hidden_layers ${layers}`);
  const other = types.find((t) => !LAYER_TYPES.includes(t as string));
  if (other !== undefined) {
    const count = types.filter((t) => t === other).length;
    throw fail(
      d,
      `layer_types has ${count} ${JSON.stringify(other)} layer${count === 1 ? "" : "s"}, which the simulator does not model (it models ${LAYER_TYPES.join(" and ")} layers)`,
    );
  }
  return types;
}

/**
 * The sliding-window layers of a Hugging Face config, or undefined when every layer attends to the whole context.
 * `layer_types` when listed; else derived from `sliding_window` the way the model type's transformers config does:
 * Mistral-7B-v0.1 slides in every layer, Qwen2/2.5 only with `use_sliding_window` and from `max_window_layers` on,
 * Gemma 2 in every other layer, Gemma 3 in 5 of each 6 (`sliding_window_pattern`). A window whose layers cannot be
 * told (another model type, or none) is refused rather than costed as full attention.
 * @example hfSlidingLayers({ c: { model_type: "gemma2", sliding_window: 4096 }, ref: "config.json" }, 42) // { count: 21, window: 4096 }
 */
export function hfSlidingLayers(d: Doc, layers: number): SlidingLayers | undefined {
  const modelType = typeof d.c.model_type === "string" ? d.c.model_type : undefined;
  const listed = listedLayerTypes(d, layers);
  const window = slidingWindow(d, modelType);
  let count = 0;
  if (listed) {
    count = listed.filter((t) => t === "sliding_attention").length;
    if (count > 0 && window === undefined && !switchedOff(d, modelType))
      throw fail(
        d,
        `layer_types has ${count} "sliding_attention" layer${count === 1 ? "" : "s"} but no sliding_window: give the window in tokens`,
      );
  } else if (window !== undefined) {
    const rule = modelType === undefined ? undefined : RULES[modelType];
    if (!rule)
      throw fail(
        d,
        `sliding_window ${window} without layer_types: which layers slide is not known for ${modelType === undefined ? "a config without model_type" : `model_type ${JSON.stringify(modelType)}`} (it is for ${Object.keys(RULES).sort().join(", ")}); give layer_types, "full_attention" or "sliding_attention" for each layer`,
      );
    const slides = rule(d);
    for (let i = 0; i < layers; i++) if (slides(i)) count++;
  }
  return count > 0 && window !== undefined ? { count, window } : undefined;
}
