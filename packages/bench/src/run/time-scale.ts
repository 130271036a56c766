import { minOf, type RequestRecord } from "@infermark/core";
import { eventLogFor, withEvents, withoutEvents } from "../client/event-log.js";
import { getSameOrigin } from "../client/same-origin-get.js";

/**
 * Stretches a level's request times by `factor` around its first scheduled send: a simulator running `speed`
 * times faster than the wall clock is measured on the wall clock, and its records scaled by `speed` give the
 * times the simulated engine would have taken.
 */
export function scaleRecordTimes(
  records: readonly RequestRecord[],
  factor: number,
): RequestRecord[] {
  if (factor === 1 || records.length === 0) return [...records];
  const base = minOf(records.map((r) => r.tSched));
  const s = (t: number) => base + (t - base) * factor;
  // the events stay packed (a level of long streams holds tens of millions)
  return records.map((r) =>
    withEvents(
      {
        ...withoutEvents(r),
        tSched: s(r.tSched),
        tSend: s(r.tSend),
        ...(r.tEnd !== undefined ? { tEnd: s(r.tEnd) } : {}),
      },
      eventLogFor(r).mapTimes(s, s),
    ),
  );
}

/** The speed a simulator reports in `/v1/models` (`data[0].speed`), if any. */
export function reportedSpeed(modelsBody: unknown): number | undefined {
  const speed = (modelsBody as { data?: { speed?: unknown }[] } | undefined)?.data?.[0]?.speed;
  return typeof speed === "number" && speed > 0 ? speed : undefined;
}

/**
 * The body of the server's `GET {basePath}/models` (OpenAI's model list), or undefined when it cannot be
 * read in `timeoutMs`: servers that do not list models are measured as they are. `headers` (the run's, which a
 * gateway may require) go with it, and with a redirect only on the same origin.
 */
export async function fetchModels(
  url: string,
  headers: Record<string, string>,
  timeoutMs = 5_000,
): Promise<unknown> {
  try {
    const response = await getSameOrigin(
      url,
      { accept: "application/json", ...headers },
      timeoutMs,
    );
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    return await response.json();
  } catch {
    return undefined;
  }
}
