import type { Store } from "@infermark/store";
import { HttpError } from "./http.js";

/**
 * The JSON of `GET /api/points/:id/requests`: the point's stored request records in order. 404 when it has none (or
 * there is no such point), 413 when they are more than `maxChars` of JSON, told from their size before any is read.
 * @example sendJson(res, 200, await pointRequestsText(store, id, 256 * 1024 * 1024))
 */
export async function pointRequestsText(
  store: Store,
  id: string,
  maxChars: number,
): Promise<string> {
  // their size first: reading them all to find out could take more memory than the server has
  const size = await store.db
    .selectFrom("request_records")
    .select((eb) => [
      eb.fn.countAll().as("n"),
      eb.fn.sum<number | string | null>(eb.fn("length", ["json"])).as("chars"),
    ])
    .where("point_id", "=", id)
    .executeTakeFirst();
  const count = Number(size?.n ?? 0);
  if (count === 0) {
    const exists = await store.getPoint(id);
    throw new HttpError(
      404,
      exists ? `point ${id} has no stored request records` : `no point with id ${id}`,
    );
  }
  const chars = Number(size?.chars ?? 0);
  if (chars > maxChars)
    throw new HttpError(
      413,
      `point ${id} has ${count} request records, ${mib(chars)} MiB of JSON, more than the run detail reads (${mib(maxChars)} MiB); its metrics are in the point, and infermark aggregate re-reads a records file of any size`,
    );
  const rows = await store.db
    .selectFrom("request_records")
    .select(["json"])
    .where("point_id", "=", id)
    .orderBy("seq")
    .execute();
  return `{"requests":[${rows.map((r) => r.json).join(",")}]}`;
}

const mib = (bytes: number) => (bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
