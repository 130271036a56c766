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

/** Request fields a backend preset adds that a server may refuse as unknown (hosted APIs do). */
const PRESET_FIELDS = ["ignore_eos", "min_tokens", "continuous_usage_stats", "stream_options"];

/**
 * Waits for the test request and throws a one-line `PreflightError` if it failed: what failed (the
 * request's error category and message, secrets already redacted) and what to check. `backend` names the preset
 * the request was built by: a 400 naming a field the preset added says to pick another.
 * @example await preflight(send(request(PREFLIGHT_ITEM, fixedOutput)), "http://gpu-1:8000", "vllm");
 */
export async function preflight(
  request: InFlightRequest,
  baseUrl: string,
  backend: string,
): Promise<void> {
  const { failure } = await request.outcome;
  if (!failure) return;
  const refused = PRESET_FIELDS.find((f) => failure.status === 400 && failure.message.includes(f));
  const hint =
    failure.category === "connect"
      ? "check --base-url"
      : refused
        ? `the server refuses ${refused}, which --backend ${backend} sends: pick its engine's --backend (openai, for a hosted API, sends none of them) or pass --no-fixed-output`
        : failure.status === 401 || failure.status === 403
          ? "check the API key"
          : failure.status === 404
            ? "check --model (the served model name) and --api"
            : "check the server";
  throw new PreflightError(
    `the test request to ${baseUrl} failed before the run (${failure.category}: ${failure.message.split("\n")[0]}); ${hint}, or pass --no-preflight to measure anyway`,
  );
}
