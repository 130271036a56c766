import { BACKENDS } from "../backends/index.js";
import type { BackendPreset } from "../backends/types.js";
import type { InFlightRequest } from "../client/request-tracker.js";
import { PreflightError } from "../errors.js";
import type { WorkItem } from "../workload/types.js";

/**
 * The test request: a short prompt and a few tokens, sent as the run's requests are (API, headers, key, the
 * preset's fields), so a server that would refuse every request of the run refuses this one first.
 */
export const PREFLIGHT_ITEM: WorkItem = {
  prompt: "infermark checks that this server answers before it measures.",
  maxTokens: 4,
};

/**
 * The request fields a backend preset adds that a server may refuse as unknown (hosted APIs do), the most specific
 * first (`stream_options.continuous_usage_stats` names the first), each with whether `preset` sends it and what to do
 * instead: what that field needs (`--no-fixed-output` drops only ignore_eos and min_tokens, and every preset asks a
 * stream's usage in stream_options).
 */
const PRESET_FIELDS: readonly {
  field: string;
  sentBy(preset: BackendPreset): boolean;
  hint(backend: string): string;
}[] = [
  {
    field: "continuous_usage_stats",
    sentBy: (p) => p.continuousUsage,
    hint: (b) =>
      `the server refuses continuous_usage_stats, which --backend ${b} asks for: pick its engine's --backend (openai, for a hosted API, does not ask for it)`,
  },
  ...["ignore_eos", "min_tokens"].map((field) => ({
    field,
    sentBy: (p: BackendPreset) => (field === "ignore_eos" ? p.ignoreEos : p.minTokens),
    hint: (b: string) =>
      `the server refuses ${field}, which --backend ${b} sends: pick its engine's --backend (openai, for a hosted API, sends neither ignore_eos nor min_tokens) or pass --no-fixed-output`,
  })),
  {
    field: "stream_options",
    sentBy: () => true,
    hint: () =>
      "the server refuses stream_options, which every --backend sends with a streamed request (to get its token counts): pass --no-stream (TPOT, ITL and interactivity are then not measured)",
  },
];

/** Statuses a server refuses a request's unknown field with: 400, or FastAPI's 422 (extra inputs not permitted). */
const REFUSED_STATUSES = new Set([400, 422]);

/**
 * The hint for a failure that names a field the preset added, or undefined: a field the preset never sends (an
 * error that names it is about something else) or a status other than a refused request's is no such failure.
 */
function refusedFieldHint(
  failure: { status?: number; message: string },
  backend: string,
): string | undefined {
  if (failure.status === undefined || !REFUSED_STATUSES.has(failure.status)) return undefined;
  const preset = (BACKENDS as Record<string, BackendPreset | undefined>)[backend];
  if (!preset) return undefined;
  const refused = PRESET_FIELDS.find(
    (f) => f.sentBy(preset) && new RegExp(`\\b${f.field}\\b`).test(failure.message),
  );
  return refused?.hint(backend);
}

/**
 * Waits for the test request and throws a one-line `PreflightError` if it failed: what failed (the
 * request's error category and message, secrets already redacted) and what to check. `backend` names the preset
 * the request was built by: a 400 (or 422) naming a field the preset added says what to do instead.
 * @example await preflight(send(request(PREFLIGHT_ITEM, fixedOutput)), "http://gpu-1:8000", "vllm");
 */
export async function preflight(
  request: InFlightRequest,
  baseUrl: string,
  backend: string,
): Promise<void> {
  const { failure } = await request.outcome;
  if (!failure) return;
  const hint =
    failure.category === "connect"
      ? "check --base-url"
      : (refusedFieldHint(failure, backend) ??
        (failure.status === 401 || failure.status === 403
          ? "check the API key"
          : failure.status === 404
            ? "check --model (the served model name) and --api"
            : "check the server"));
  throw new PreflightError(
    `the test request to ${baseUrl} failed before the run (${failure.category}: ${failure.message.split("\n")[0]}); ${hint}, or pass --no-preflight to measure anyway`,
  );
}
