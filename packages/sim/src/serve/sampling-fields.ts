/** A field the simulator takes and does not use: what vLLM accepts for it, checked so that a client learns here. */
interface FieldRule {
  field: string;
  accepts(value: unknown): boolean;
  expects: string;
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const within = (lo: number, hi: number) => (v: unknown) => isNumber(v) && v >= lo && v <= hi;
const isIdList = (v: unknown) =>
  Array.isArray(v) && v.every((id) => Number.isSafeInteger(id) && id >= 0);

/**
 * The sampling fields of vLLM's completions and chat requests, with the types and ranges its request models and
 * `SamplingParams` accept. The simulator samples nothing: it only refuses what vLLM refuses, so that a client
 * that sends `temperature: "hot"` or `top_p: 0` learns it against the simulator, not against the real server.
 */
const SAMPLING_RULES: readonly FieldRule[] = [
  { field: "temperature", accepts: (v) => isNumber(v) && v >= 0, expects: "a number >= 0" },
  { field: "top_p", accepts: (v) => isNumber(v) && v > 0 && v <= 1, expects: "a number in (0, 1]" },
  {
    field: "top_k",
    accepts: (v) => Number.isSafeInteger(v) && (v as number) >= -1,
    expects: "an integer, -1 or 0 for no limit",
  },
  { field: "min_p", accepts: within(0, 1), expects: "a number in [0, 1]" },
  { field: "presence_penalty", accepts: within(-2, 2), expects: "a number in [-2, 2]" },
  { field: "frequency_penalty", accepts: within(-2, 2), expects: "a number in [-2, 2]" },
  { field: "repetition_penalty", accepts: (v) => isNumber(v) && v > 0, expects: "a number > 0" },
  { field: "seed", accepts: Number.isSafeInteger, expects: "an integer" },
  { field: "ignore_eos", accepts: (v) => typeof v === "boolean", expects: "a boolean" },
  {
    field: "stop",
    accepts: (v) =>
      typeof v === "string" || (Array.isArray(v) && v.every((s) => typeof s === "string")),
    expects: "a string or a list of strings",
  },
  { field: "stop_token_ids", accepts: isIdList, expects: "a list of token ids" },
];

/** A value as a message shows it: JSON, cut short. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/**
 * Output the simulator cannot give, asked for: log-probabilities (`logprobs` in completions, `logprobs: true` or
 * `top_logprobs` in chat, vLLM's `prompt_logprobs`) and the prompt sent back (`echo`). Refused with a 400 rather
 * than answered without them, where a client reading `choices[0].logprobs` would fail on a null.
 */
function unsupportedOutput(
  body: Record<string, unknown>,
  chat: boolean,
): { message: string; param: string } | undefined {
  const given = (field: string) => body[field] !== undefined && body[field] !== null;
  const logprobs = chat ? body.logprobs === true : given("logprobs") && body.logprobs !== false;
  const top = chat && given("top_logprobs") && body.top_logprobs !== 0;
  for (const [param, asked] of [
    ["logprobs", logprobs],
    ["top_logprobs", top],
    ["prompt_logprobs", given("prompt_logprobs")],
  ] as const)
    if (asked)
      return {
        message: `${param}: the simulator computes no log-probabilities; leave ${param} out (or null)`,
        param,
      };
  if (body.echo === true)
    return {
      message: "echo: the simulator does not send the prompt back; leave echo out (or false)",
      param: "echo",
    };
  return undefined;
}

/**
 * The first sampling field of a completions (`chat` false) or chat body that vLLM would refuse, or output the
 * simulator cannot give, as a 400's message and param; undefined when there is none. Null stands for absent.
 * @example samplingFieldError({ temperature: -1 }, false) // { message: "temperature must be a number >= 0, got -1", param: "temperature" }
 */
export function samplingFieldError(
  body: Record<string, unknown>,
  chat: boolean,
): { message: string; param: string } | undefined {
  for (const { field, accepts, expects } of SAMPLING_RULES) {
    const value = body[field];
    if (value !== undefined && value !== null && !accepts(value))
      return { message: `${field} must be ${expects}, got ${shown(value)}`, param: field };
  }
  return unsupportedOutput(body, chat);
}
