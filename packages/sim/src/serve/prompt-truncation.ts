import { type FieldError, pyInt, vllmValidation } from "./vllm-words.js";

/**
 * `truncate_prompt_tokens` as vLLM's request model reads it (a pydantic int of at least -1; `true` is 1): the
 * prompt tokens to keep, -1 for as many as fit beside `max_tokens`; undefined when absent or null.
 * @example truncationOf(8) // 8
 */
export function truncationOf(value: unknown): number | undefined | FieldError {
  if (value === undefined || value === null) return undefined;
  const n = pyInt(value);
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < -1)
    return {
      message: `truncate_prompt_tokens must be an integer of at least -1, got ${JSON.stringify(value) ?? String(value)}`,
      param: "truncate_prompt_tokens",
    };
  return n;
}

/**
 * How many prompt tokens a request keeps (its last ones, as vLLM's left truncation keeps them): -1 reads as the
 * context less `max_tokens` (`maxInput`), and more than that is vLLM's refusal, in its words. Undefined keeps
 * the whole prompt: no truncation asked for, or a `max_tokens` past the context, which the context check refuses.
 * @example keptTokens(-1, 54, "max_tokens") // 54
 */
export function keptTokens(
  truncate: number | undefined,
  maxInput: number,
  maxField: string,
): number | undefined | FieldError {
  if (truncate === undefined || maxInput < 0) return undefined;
  if (truncate === -1) return maxInput;
  if (truncate > maxInput)
    return vllmValidation(
      `truncate_prompt_tokens=${truncate} cannot be greater than max_model_len - ${maxField} = ${maxInput}. Please request a smaller truncation size.`,
      "truncate_prompt_tokens",
      String(truncate),
    );
  return truncate;
}
