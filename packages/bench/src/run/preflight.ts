import { BACKENDS } from "../backends/index.js";
import type { BackendPreset } from "../backends/types.js";
import type { InFlightRequest } from "../client/request-tracker.js";
import { notAnswered } from "../client/same-origin-get.js";
import { now } from "../clock.js";
import { PreflightError } from "../errors.js";
import { sleepUntil } from "../load/sleep.js";
import { redactClipped } from "../redact.js";
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

const isRedirect = (status: number) => status >= 300 && status < 400;

/** Statuses that waiting cannot change: the request itself, or its key, is refused. */
const REFUSED_FOR_GOOD = new Set([400, 401, 403, 422]);
/** How long `waitUntilReady` waits between test requests (ms). */
export const READY_POLL_MS = 2000;
/** The most one readiness probe waits for the server's answer (ms): a server that accepts but never answers. */
const PROBE_TIMEOUT_MS = 30_000;

/** Why the server is not ready yet: `connect: ECONNREFUSED`, `HTTP 503: ...` (secrets redacted). */
export interface ProbeFailure {
  status?: number;
  reason: string;
}

/** A wait of `waitUntilReady`, as its hook gets it. */
export interface NotReady {
  /** Seconds since the first probe was sent. */
  waitedS: number;
  reason: string;
}

/**
 * One readiness probe: the test request (`body`, with the run's headers and key) posted to `url`, ready when the
 * server answers 2xx (the body is not read). What failed comes back with the key redacted. `signal` (Ctrl-C) cuts
 * a probe that waits for an answer short.
 * @example const probe = readyProbe("http://h:8000/v1/completions", headers, body, [key]);
 */
export function readyProbe(
  url: string,
  headers: Record<string, string>,
  body: string,
  secrets: readonly string[],
  signal?: AbortSignal,
): () => Promise<ProbeFailure | undefined> {
  return async () => {
    try {
      const timeout = AbortSignal.timeout(PROBE_TIMEOUT_MS);
      const res = await fetch(url, {
        method: "POST",
        headers,
        body,
        // as the measured requests: a redirect is not followed (the run's headers go to its server only)
        redirect: "manual",
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      if (res.ok) {
        await res.body?.cancel();
        return undefined;
      }
      if (isRedirect(res.status)) {
        await res.body?.cancel();
        return { status: res.status, reason: redactClipped(notAnswered(res), secrets, 200) };
      }
      const text = (await res.text().catch(() => "")).replace(/\s+/g, " ").trim();
      return {
        status: res.status,
        reason: redactClipped(`HTTP ${res.status}${text ? `: ${text}` : ""}`, secrets, 200),
      };
    } catch (error) {
      const e = error as Error & { cause?: { code?: string; message?: string } };
      const why =
        e.name === "TimeoutError"
          ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s`
          : (e.cause?.code ?? e.cause?.message ?? e.message);
      return { reason: redactClipped(`connect: ${why}`, secrets, 200) };
    }
  };
}

/**
 * Repeats `probe` every READY_POLL_MS until the server answers it or `waitS` seconds have passed, for a server
 * that is still starting (`vllm serve` loads its weights for minutes before it listens; a Dynamo frontend answers
 * 404 until its workers register the model): a refused connection, a 404, a 429 or a 5xx is waited out, each wait
 * passed to `onWait`. A refusal that waiting cannot change (400, 401, 403, 422: the request or its key; a redirect,
 * which no request of the run follows) ends the wait at once, for the test request after it (`preflight`) to report with its hints; the last failure once the
 * time is up throws a `PreflightError`. Resolves `"stopped"` when `signal` aborts while it waits (Ctrl-C).
 * @example await waitUntilReady(readyProbe(url, headers, body, []), { baseUrl, waitS: 600, onWait: log });
 */
export async function waitUntilReady(
  probe: () => Promise<ProbeFailure | undefined>,
  o: { baseUrl: string; waitS: number; signal?: AbortSignal; onWait?(state: NotReady): void },
): Promise<"ready" | "stopped"> {
  const t0 = now();
  const deadline = t0 + o.waitS * 1000;
  for (;;) {
    const failure = await probe();
    const status = failure?.status;
    if (!failure || (status !== undefined && (REFUSED_FOR_GOOD.has(status) || isRedirect(status))))
      return "ready";
    if (o.signal?.aborted) return "stopped";
    if (now() >= deadline) {
      throw new PreflightError(
        `the server at ${o.baseUrl} did not answer the test request within --wait-ready ${o.waitS} s (last: ${failure.reason}); check --base-url and the server's log`,
      );
    }
    o.onWait?.({ waitedS: (now() - t0) / 1000, reason: failure.reason });
    // the last probe goes at the deadline
    await sleepUntil(Math.min(now() + READY_POLL_MS, deadline), o.signal);
    if (o.signal?.aborted) return "stopped";
  }
}
