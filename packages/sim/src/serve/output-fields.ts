import { MAX_LOGPROBS } from "./logprobs.js";
import { type FieldError, pyBool, pyInt, pyList, vllmValidation } from "./vllm-words.js";

/** The shape of the output a request asks for: how many choices, their logprobs, the prompt sent back. */
export interface OutputFields {
  /** `n`: the choices generated for the prompt. */
  n: number;
  /**
   * The top tokens asked for at each position (completions: `logprobs`; chat: `top_logprobs` beside
   * `logprobs: true`), -1 for the whole vocabulary; null when no logprobs are asked for.
   */
  logprobs: number | null;
  /** Completions' `echo`: each choice's text starts with the prompt. */
  echo: boolean;
}

/** vLLM's `VLLM_MAX_N_SEQUENCES` default: the most choices one request may ask for. */
export const MAX_N = 16384;

const given = (v: unknown) => v !== undefined && v !== null;
const shown = (v: unknown) => JSON.stringify(v) ?? String(v);

/** `n`, checked as vLLM's request model (a pydantic int: `true` is 1) and `SamplingParams` check it. */
function choicesOf(body: Record<string, unknown>): number | FieldError {
  const n = pyInt(body.n);
  if (!given(n)) return 1;
  if (typeof n !== "number" || !Number.isSafeInteger(n))
    return { message: `n must be an integer, got ${shown(n)}`, param: "n" };
  if (n < 1) return { message: `n must be at least 1, got ${n}.`, param: null };
  if (n > MAX_N)
    return {
      message: `n must be at most ${MAX_N}, got ${n}. To increase this limit, set the VLLM_MAX_N_SEQUENCES environment variable.`,
      param: null,
    };
  return n;
}

/** A completions body's `logprobs` (an integer, or a boolean as 1 or 0: the top tokens per position) and `echo`. */
function completionOutput(
  body: Record<string, unknown>,
): Pick<OutputFields, "logprobs" | "echo"> | FieldError {
  const { echo } = body;
  // vLLM's field is a pydantic int, which takes a boolean as 1 or 0: `logprobs: true` (chat's form, which clients
  // send to completions too) asks for the most likely token beside the sampled one
  const logprobs = typeof body.logprobs === "boolean" ? Number(body.logprobs) : body.logprobs;
  let top: number | null = null;
  if (given(logprobs)) {
    // vLLM's check of a text value (Python's repr of it); any other value that is no whole number (a fraction)
    // is refused naming it
    if (typeof logprobs === "string")
      return vllmValidation(
        "`logprobs` must be an integer.",
        "logprobs",
        pyList([logprobs]).slice(1, -1),
      );
    if (typeof logprobs !== "number" || !Number.isSafeInteger(logprobs))
      return { message: `logprobs must be an integer, got ${shown(logprobs)}`, param: "logprobs" };
    if (logprobs < 0 && logprobs !== -1)
      return vllmValidation(
        "`logprobs` must be a positive value or -1.",
        "logprobs",
        String(logprobs),
      );
    top = logprobs;
  }
  if (given(echo) && typeof echo !== "boolean")
    return { message: `echo must be a boolean, got ${shown(echo)}`, param: "echo" };
  return { logprobs: top, echo: echo === true };
}

/** A chat body's `logprobs` (a boolean) and `top_logprobs` (the top tokens per position, 0 when absent). */
function chatOutput(body: Record<string, unknown>): number | null | FieldError {
  // vLLM's field is a pydantic bool, which reads 1, 0, "true" and the like
  const logprobs = given(body.logprobs) ? pyBool(body.logprobs) : false;
  if (logprobs === undefined)
    return {
      message: `logprobs must be a boolean, got ${shown(body.logprobs)}`,
      param: "logprobs",
    };
  // vLLM's default is 0; an explicit null asks for none
  const top = body.top_logprobs === undefined ? 0 : body.top_logprobs;
  if (top !== null) {
    if (typeof top !== "number" || !Number.isSafeInteger(top))
      return {
        message: `top_logprobs must be an integer, got ${shown(top)}`,
        param: "top_logprobs",
      };
    if (top < 0 && top !== -1)
      return vllmValidation(
        "`top_logprobs` must be a positive value or -1.",
        "top_logprobs",
        String(top),
      );
    if (top !== 0 && logprobs !== true)
      return vllmValidation(
        "when using `top_logprobs`, `logprobs` must be set to true.",
        "top_logprobs",
      );
  }
  return logprobs === true && top !== null ? (top as number) : null;
}

/**
 * The choices, logprobs and echo a completions (`chat` false) or chat body asks for, checked as vLLM's request
 * models check them, or the first problem as a 400's message and param. Null stands for absent. Chat's `echo`
 * is refused elsewhere (`samplingFieldError`).
 * @example outputFields({ logprobs: 2, n: 3 }, false) // { n: 3, logprobs: 2, echo: false }
 */
export function outputFields(
  body: Record<string, unknown>,
  chat: boolean,
): OutputFields | FieldError {
  const n = choicesOf(body);
  if (typeof n !== "number") return n;
  if (chat) {
    const logprobs = chatOutput(body);
    if (logprobs !== null && typeof logprobs !== "number") return logprobs;
    return { n, logprobs, echo: false };
  }
  const output = completionOutput(body);
  return "message" in output ? output : { n, ...output };
}

/**
 * vLLM's engine refusal of more top tokens than its `--max-logprobs` (20 by default; -1 asks for the whole
 * vocabulary), checked once the prompt fits; undefined when within it.
 * @example logprobsLimitError(21, 129280)?.message // "Requested sample logprobs of 21, which is greater than max allowed: 20 (parameter=logprobs, value=21)"
 */
export function logprobsLimitError(logprobs: number | null, vocab: number): FieldError | undefined {
  if (logprobs === null) return undefined;
  const asked = logprobs === -1 ? vocab : logprobs;
  if (asked <= MAX_LOGPROBS) return undefined;
  return vllmValidation(
    `Requested sample logprobs of ${asked}, which is greater than max allowed: ${MAX_LOGPROBS}`,
    "logprobs",
    String(asked),
  );
}
