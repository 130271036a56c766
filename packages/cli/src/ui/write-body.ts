import { check, RequestRecord } from "@infermark/core";

/** A checked body of `POST /api/points`: the points (checked by the store's ingest) and their request records. */
export interface WriteBody {
  points: unknown[];
  /** Request records of each point, by the point's index; checked against RequestRecord. */
  requests?: (RequestRecord[] | undefined)[];
}

/** A write body, or why it was refused. */
export type WriteBodyResult = { ok: true; value: WriteBody } | { ok: false; message: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Checks the JSON body of `POST /api/points`: an array of points, or `{ points, requests? }` where
 * `requests[i]` holds point i's request records (an array, or null for none). The records are checked here,
 * as `infermark ingest` checks a records file, so the store never keeps a record the run detail cannot read.
 * @example parseWriteBody({ points: [point], requests: [[record]] })
 */
export function parseWriteBody(body: unknown): WriteBodyResult {
  if (Array.isArray(body)) return { ok: true, value: { points: body } };
  if (!isObject(body) || !Array.isArray(body.points))
    return { ok: false, message: "expected a JSON array of points or { points: [...] }" };
  const unknown = Object.keys(body).find((k) => k !== "points" && k !== "requests");
  if (unknown !== undefined)
    return { ok: false, message: `unknown field "${unknown}"; expected points and requests` };
  const { points, requests } = body;
  if (requests === undefined) return { ok: true, value: { points } };
  if (!Array.isArray(requests) || requests.length > points.length)
    return {
      ok: false,
      message: `requests: expected an array with at most one entry per point (${points.length})`,
    };
  const checked: (RequestRecord[] | undefined)[] = [];
  for (const [i, records] of requests.entries()) {
    if (records === null || records === undefined) {
      checked.push(undefined);
      continue;
    }
    if (!Array.isArray(records))
      return { ok: false, message: `requests[${i}]: expected an array of request records or null` };
    const valid: RequestRecord[] = [];
    for (const [j, record] of records.entries()) {
      const result = check(RequestRecord, record);
      if (!result.ok) {
        const issue = result.issues[0]!;
        return {
          ok: false,
          message: `requests[${i}][${j}]: ${issue.path || "(root)"}: ${issue.message}`,
        };
      }
      valid.push(result.value);
    }
    checked.push(valid);
  }
  return { ok: true, value: { points, requests: checked } };
}
