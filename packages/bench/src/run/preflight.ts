import type { InFlightRequest } from "../client/request-tracker.js";
import { PreflightError } from "../errors.js";
import type { WorkItem } from "../workload/types.js";

/** The test request: a short prompt and a few tokens, sent as the run's requests are (API, headers, key). */
export const PREFLIGHT_ITEM: WorkItem = {
  prompt: "infermark checks that this server answers before it measures.",
  maxTokens: 4,
};

/**
 * Waits for the test request and throws a one-line `PreflightError` if it failed: what failed (the
 * request's error category and message, secrets already redacted) and what to check.
 * @example await preflight(send(request(PREFLIGHT_ITEM, false)), "http://gpu-1:8000");
 */
export async function preflight(request: InFlightRequest, baseUrl: string): Promise<void> {
  const { failure } = await request.outcome;
  if (!failure) return;
  const hint =
    failure.category === "connect"
      ? "check --base-url"
      : failure.status === 401 || failure.status === 403
        ? "check the API key"
        : failure.status === 404
          ? "check --model (the served model name) and --api"
          : "check the server";
  throw new PreflightError(
    `the test request to ${baseUrl} failed before the run (${failure.category}: ${failure.message.split("\n")[0]}); ${hint}, or pass --no-preflight to measure anyway`,
  );
}
