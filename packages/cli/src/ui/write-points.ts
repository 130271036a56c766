import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { IngestError, type Store } from "@infermark/store";
import { HttpError, noQuery, readBody, sendJson } from "./http.js";
import { whileServerWorks } from "./server-work.js";
import { WRITE_LOCK_WAIT_MS, whileBusy } from "./store-busy.js";
import { UI_TOKEN_ENV } from "./ui-server-options.js";
import { parseWriteBody } from "./write-body.js";

/** What `pointsWriter` needs. */
export interface PointsWriterOptions {
  store: Store;
  /** token required (Authorization: Bearer ...); absent: writes are refused */
  token: string | undefined;
  /** largest accepted request body, bytes */
  maxBodyBytes: number;
  /** checks, before anything else, that the store's file is still the one served */
  checkStore: () => Promise<void>;
  /** called after a write went in (the answer cache is cleared) */
  written: () => void;
}

/**
 * Compares tokens in time independent of where they differ and of their lengths: timingSafeEqual needs equal
 * lengths, and returning early on a length mismatch told a client the token's length.
 */
const sameToken = (given: string, expected: string) => {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
};

/**
 * The write endpoint of the dashboard server, `POST /api/points`: with `Authorization: Bearer <token>` and a JSON
 * array of PointResults (or `{ points, requests? }`), answers the ingest result.
 * @example const post = pointsWriter({ store, token, maxBodyBytes, checkStore, written: cache.clear })
 */
export function pointsWriter(options: PointsWriterOptions) {
  const { store, token } = options;
  return async (req: IncomingMessage, url: URL, res: ServerResponse): Promise<void> => {
    noQuery(url);
    await options.checkStore();
    if (!token)
      throw new HttpError(403, `writing is disabled; start the server with ${UI_TOKEN_ENV} set`);
    // the scheme is case-insensitive (RFC 9110 11.1): curl users write "bearer" too
    const given = /^Bearer +(.+?)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
    if (!given || !sameToken(given, token))
      throw new HttpError(401, "missing or wrong token (Authorization: Bearer <token>)", {
        "www-authenticate": 'Bearer realm="infermark"',
      });
    const body = parseWriteBody(await readBody(req, options.maxBodyBytes));
    if (!body.ok) throw new HttpError(400, body.message);
    const { points, requests } = body.value;
    try {
      // on a store that does not wait inside the call, a write lock held elsewhere fails the ingest before it
      // writes anything and lets go of the connection: it is tried again on a timer, and reads go on meanwhile
      const result = await whileServerWorks(res, () =>
        whileBusy(
          () =>
            store.ingest(points, {
              kind: "ingest",
              path: "api",
              ...(requests ? { requests } : {}),
            }),
          WRITE_LOCK_WAIT_MS,
          "writing",
        ),
      );
      options.written();
      return sendJson(res, 200, result);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      // a batch the store refuses is the client's to fix; anything else (a lost PostgreSQL connection, a full
      // disk) is the server's, and the client may retry
      if (error instanceof IngestError && error.fault === "batch")
        throw new HttpError(400, error.message);
      throw new HttpError(503, `the store could not take the points: ${(error as Error).message}`);
    }
  };
}
