import { type FieldError, pyList, vllmValidation } from "./vllm-words.js";

// what Python's int() takes from a logit_bias key: a sign, digits with single underscores between, spaces around
const PY_INT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * vLLM's refusal of `logit_bias` keys that are not integers (its request takes token ids as string keys and
 * converts them with Python's `int()`), naming them in its words; undefined when every key converts.
 * @example logitBiasKeyError({ abc: 1 })?.param // "logit_bias"
 */
export function logitBiasKeyError(bias: unknown): FieldError | undefined {
  if (!isObject(bias)) return undefined;
  const invalid = Object.keys(bias).filter((key) => !PY_INT.test(key));
  if (invalid.length === 0) return undefined;
  return vllmValidation(
    `logit_bias contains key(s) that cannot be converted to integer token IDs: ${pyList(invalid)}`,
    "logit_bias",
    pyList(invalid),
  );
}

/** The ids of a list that are negative or at or past the vocabulary, in their order. */
const outside = <T extends number | bigint>(ids: readonly T[], vocab: number): T[] =>
  ids.filter((id) => id < 0 || id >= vocab);

/**
 * vLLM's refusal of token ids outside the model's vocabulary (negative, or `vocab` and past) in `logit_bias` keys,
 * `stop_token_ids` and `allowed_token_ids`, or of an empty `allowed_token_ids`, in its words and order; undefined
 * when there is none. The fields' types are checked before (`samplingFieldError`).
 * @example tokenIdFieldError({ allowed_token_ids: [129280] }, 129280)?.message // "allowed_token_ids contains out-of-vocab token id! (parameter=allowed_token_ids, value=[129280])"
 */
export function tokenIdFieldError(
  body: Record<string, unknown>,
  vocab: number,
): FieldError | undefined {
  if (isObject(body.logit_bias)) {
    const bad = outside(
      Object.keys(body.logit_bias).map((key) => BigInt(key.replace(/_/g, "").trim())),
      vocab,
    );
    if (bad.length > 0)
      return vllmValidation(
        `token_id(s) ${pyList(bad)} in logit_bias contain out-of-vocab token ids. Vocabulary size: ${vocab}`,
        "logit_bias",
        pyList(bad),
      );
  }
  if (Array.isArray(body.stop_token_ids)) {
    // vLLM drops repeated stop ids before it checks them
    const bad = outside([...new Set(body.stop_token_ids as number[])], vocab);
    if (bad.length > 0)
      return vllmValidation(
        `token_id(s) ${pyList(bad)} in stop_token_ids contain out-of-vocab token ids. Vocabulary size: ${vocab}`,
        "stop_token_ids",
        pyList(bad),
      );
  }
  const allowed = body.allowed_token_ids;
  if (Array.isArray(allowed)) {
    if (allowed.length === 0)
      return vllmValidation("allowed_token_ids is not None and empty!", "allowed_token_ids", "[]");
    const bad = outside(allowed as number[], vocab);
    if (bad.length > 0)
      return vllmValidation(
        "allowed_token_ids contains out-of-vocab token id!",
        "allowed_token_ids",
        pyList(bad),
      );
  }
  return undefined;
}
