import { logitBiasKeyError } from "./token-id-fields.js";
import { type FieldError, pyBool, pyFloat, vllmValidation } from "./vllm-words.js";

/** A field the simulator takes and does not use: the type vLLM's request models accept for it. */
interface FieldRule {
  field: string;
  accepts(value: unknown): boolean;
  expects: string;
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isIntList = (v: unknown) => Array.isArray(v) && v.every(Number.isSafeInteger);

/**
 * The types of the sampling fields of vLLM's completions and chat requests. The simulator samples nothing: it only
 * refuses what vLLM refuses, so that a client that sends `temperature: "hot"` learns it against the simulator, not
 * against the real server. The values' ranges are checked next, in vLLM's words (`samplingRangeError`).
 */
const SAMPLING_TYPES: readonly FieldRule[] = [
  { field: "temperature", accepts: isNumber, expects: "a number" },
  { field: "top_p", accepts: isNumber, expects: "a number" },
  { field: "top_k", accepts: Number.isSafeInteger, expects: "an integer, -1 or 0 for no limit" },
  { field: "min_p", accepts: isNumber, expects: "a number" },
  { field: "presence_penalty", accepts: isNumber, expects: "a number" },
  { field: "frequency_penalty", accepts: isNumber, expects: "a number" },
  { field: "repetition_penalty", accepts: isNumber, expects: "a number" },
  { field: "seed", accepts: Number.isSafeInteger, expects: "an integer" },
  { field: "priority", accepts: Number.isSafeInteger, expects: "an integer" },
  { field: "ignore_eos", accepts: (v) => typeof v === "boolean", expects: "a boolean" },
  { field: "use_beam_search", accepts: (v) => pyBool(v) !== undefined, expects: "a boolean" },
  {
    field: "include_stop_str_in_output",
    accepts: (v) => typeof v === "boolean",
    expects: "a boolean",
  },
  {
    field: "stop",
    accepts: (v) =>
      typeof v === "string" || (Array.isArray(v) && v.every((s) => typeof s === "string")),
    expects: "a string or a list of strings",
  },
  { field: "stop_token_ids", accepts: isIntList, expects: "a list of integers" },
  { field: "allowed_token_ids", accepts: isIntList, expects: "a list of integers" },
  {
    field: "logit_bias",
    accepts: (v) =>
      typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every(isNumber),
    expects: "an object of token ids to numbers",
  },
];

/**
 * The first sampling value vLLM's `SamplingParams` refuses, in its words and order (`logit_bias` keys that are not
 * integers, then its own checks: penalties, temperature in [0, 2], top_p, top_k, min_p, an empty stop string).
 * Types are checked before; the token ids' vocabulary once the prompt fits (`tokenIdFieldError`).
 */
function samplingRangeError(body: Record<string, unknown>): FieldError | undefined {
  const bias = logitBiasKeyError(body.logit_bias);
  if (bias) return bias;
  const value = (field: string) => (body[field] ?? undefined) as number | undefined;
  for (const field of ["presence_penalty", "frequency_penalty"]) {
    const v = value(field);
    if (v !== undefined && (v < -2 || v > 2))
      return vllmValidation(`${field} must be in [-2, 2], got ${pyFloat(v)}.`);
  }
  const repetition = value("repetition_penalty");
  if (repetition !== undefined && repetition <= 0)
    return vllmValidation(
      `repetition_penalty must be greater than zero, got ${pyFloat(repetition)}.`,
    );
  const t = value("temperature");
  if (t !== undefined && t < 0)
    return vllmValidation(
      `temperature must be non-negative, got ${pyFloat(t)}.`,
      "temperature",
      pyFloat(t),
    );
  // vLLM refuses what OpenAI refuses: a client sending 3 was served here and refused there
  if (t !== undefined && t > 2)
    return vllmValidation(
      `temperature must be in [0, 2], got ${pyFloat(t)}.`,
      "temperature",
      pyFloat(t),
    );
  const p = value("top_p");
  if (p !== undefined && !(p > 0 && p <= 1))
    return vllmValidation(`top_p must be in (0, 1], got ${pyFloat(p)}.`, "top_p", pyFloat(p));
  const k = value("top_k");
  if (k !== undefined && k < -1)
    return vllmValidation(`top_k must be 0 (disable), or at least 1, got ${k}.`);
  const minP = value("min_p");
  if (minP !== undefined && !(minP >= 0 && minP <= 1))
    return vllmValidation(`min_p must be in [0, 1], got ${pyFloat(minP)}.`);
  const stop = body.stop;
  if (stop === "" || (Array.isArray(stop) && stop.includes("")))
    return vllmValidation("stop cannot contain an empty string.");
  return undefined;
}

/** A value as a message shows it: JSON, cut short. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/**
 * Output the simulator cannot give, asked for: vLLM's `use_beam_search` (its server runs a beam search of `n`
 * beams), `prompt_logprobs` (its per-token dicts of token ids) and a chat `echo` (the last message sent back).
 * Refused with a 400 rather than answered without them. Completions' `logprobs` and `echo` and chat's `logprobs`
 * are served (`outputFields`).
 */
function unsupportedOutput(
  body: Record<string, unknown>,
  chat: boolean,
): { message: string; param: string } | undefined {
  if (body.prompt_logprobs !== undefined && body.prompt_logprobs !== null)
    return {
      message:
        "prompt_logprobs: the simulator gives no prompt_logprobs; leave it out (or null), or use echo with logprobs on /v1/completions",
      param: "prompt_logprobs",
    };
  if (pyBool(body.use_beam_search) === true)
    return {
      message:
        "use_beam_search: the simulator does not run beam search; leave use_beam_search out (or false)",
      param: "use_beam_search",
    };
  if (chat && body.echo === true)
    return {
      message:
        "echo: the simulator does not send a chat's last message back; leave echo out (or false)",
      param: "echo",
    };
  return undefined;
}

/**
 * The first sampling field of a completions (`chat` false) or chat body that vLLM would refuse (its type, then its
 * value in vLLM's words), or output the simulator cannot give, as a 400's message and param; undefined when there
 * is none. Null stands for absent.
 * @example samplingFieldError({ temperature: 3 }, false) // { message: "temperature must be in [0, 2], got 3.0. (parameter=temperature, value=3.0)", param: "temperature" }
 */
export function samplingFieldError(
  body: Record<string, unknown>,
  chat: boolean,
): FieldError | undefined {
  for (const { field, accepts, expects } of SAMPLING_TYPES) {
    const value = body[field];
    if (value !== undefined && value !== null && !accepts(value))
      return { message: `${field} must be ${expects}, got ${shown(value)}`, param: field };
  }
  return samplingRangeError(body) ?? unsupportedOutput(body, chat);
}
