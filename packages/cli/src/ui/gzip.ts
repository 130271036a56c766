import type { IncomingMessage } from "node:http";

/** Answers smaller than this are sent as they are: gzip's header and a round trip to the thread pool cost more. */
export const GZIP_MIN_BYTES = 1024;

/**
 * Whether a request accepts gzip (`Accept-Encoding: gzip`, without `q=0`). The dashboard's list is a few hundred KiB
 * of JSON and its script 750 KiB; gzipped they are a fifth or less, which on a shared network is the load time.
 * @example acceptsGzip(req) && body.length >= GZIP_MIN_BYTES
 */
export function acceptsGzip(req: IncomingMessage | undefined): boolean {
  const header = req?.headers["accept-encoding"];
  if (!header) return false;
  return header.split(",").some((part) => {
    const [coding, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    if (coding !== "gzip" && coding !== "x-gzip") return false;
    const q = params.find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
