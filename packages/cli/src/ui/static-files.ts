import type { Stats } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { pipeline } from "node:stream";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { acceptsGzip, GZIP_MIN_BYTES } from "./gzip.js";
import { securityHeaders } from "./security-headers.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

/** A validator of a file's version: its size and modification time (weak: equal content is not checked). */
const etagOf = (info: Stats) =>
  `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;

/** The types worth compressing: text; the images are compressed already. */
const TEXT = new Set([".html", ".js", ".css", ".json", ".svg"]);

const headersOf = (
  file: string,
  size: number,
  gzipped: boolean,
  validators: Record<string, string>,
) => ({
  "content-type": TYPES[extname(file)] ?? "application/octet-stream",
  ...(gzipped ? { "content-encoding": "gzip" } : {}),
  "content-length": size,
  vary: "Accept-Encoding",
  ...validators,
  ...securityHeaders(extname(file) === ".html"),
});

const gzipAsync = promisify(gzip);

/**
 * The gzipped bytes of the dashboard's text files, by file, each made once per version (its ETag) and kept: the
 * script is 750 KiB, and compressing it for every page load took a thread of the pool 60 ms a time, so a team
 * opening the dashboard at once waited seconds for it. Only the few files `APP_FILE` names are kept, one version each.
 */
const zipped = new Map<string, { etag: string; bytes: Promise<Buffer> }>();

function gzippedBytes(file: string, etag: string, handle: FileHandle): Promise<Buffer> {
  const kept = zipped.get(file);
  if (kept?.etag === etag) return kept.bytes;
  const bytes = handle.readFile().then((raw) => gzipAsync(raw));
  zipped.set(file, { etag, bytes });
  // a read that failed is tried again by the next request
  bytes.catch(() => {
    if (zipped.get(file)?.bytes === bytes) zipped.delete(file);
  });
  return bytes;
}

/** Whether the client's copy (If-None-Match, else If-Modified-Since) is the current file. */
function fresh(req: IncomingMessage, etag: string, info: Stats): boolean {
  const match = req.headers["if-none-match"];
  if (match !== undefined) return match.split(",").some((tag) => [etag, "*"].includes(tag.trim()));
  const since = Date.parse(req.headers["if-modified-since"] ?? "");
  return Number.isFinite(since) && Math.floor(info.mtimeMs / 1000) * 1000 <= since;
}

/**
 * The files of the built dashboard, by the names vite gives them (packages/web/vite.config.ts): the page, its
 * script (`app.js`, chunks `app-<name>.js`) and its assets (`app.css`). The folder holds more (tsc writes the
 * package's compiled modules and declarations under `data/`, `logic/`), none of which the page loads.
 */
const APP_FILE = /^\/(?:index\.html|app(?:-[A-Za-z0-9_-]+)?\.js|app\.[a-z0-9]+)$/;

/**
 * Sends a file of the built dashboard; `/` is index.html. Only the files the page loads are served (`APP_FILE`);
 * any other path, or one that does not exist, gives false (the caller answers 404). Answers carry ETag and Last-Modified, and a request whose copy is current gets 304
 * without the file: `no-cache` makes the browser ask on every load, and without a validator each load would
 * download the whole script again.
 */
export async function sendStatic(
  dir: string,
  urlPath: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return false;
  }
  if (rel === "/" || rel === "") rel = "/index.html";
  // a name with no folder in it cannot leave the folder, encoded slashes and dots included
  if (!APP_FILE.test(rel)) return false;
  const root = normalize(dir.endsWith(sep) ? dir : dir + sep);
  const file = normalize(join(root, rel));
  if (!file.startsWith(root)) return false;
  // open first and stat the open file: one removed meanwhile (a rebuild of the dashboard) is a 404
  const handle = await open(file).catch(() => undefined);
  const info = await handle?.stat().catch(() => undefined);
  if (!handle || !info?.isFile()) {
    await handle?.close();
    return false;
  }
  const etag = etagOf(info);
  const validators = {
    etag,
    "last-modified": info.mtime.toUTCString(),
    "cache-control": "no-cache",
  };
  const current = fresh(req, etag, info);
  const gzipped = TEXT.has(extname(file)) && info.size >= GZIP_MIN_BYTES && acceptsGzip(req);
  if (current) {
    await handle.close();
    res.writeHead(304, { ...validators, vary: "Accept-Encoding" });
    res.end();
    return true;
  }
  const head = req.method === "HEAD";
  if (gzipped) {
    // a HEAD carries the GET's Content-Length too (RFC 9110 9.3.2): the gzipped length, made once and kept
    let body: Buffer;
    try {
      body = await gzippedBytes(file, etag, handle);
    } finally {
      await handle.close();
    }
    if (res.destroyed) return true;
    res.writeHead(200, headersOf(file, body.length, true, validators));
    res.end(head ? undefined : body);
    return true;
  }
  res.writeHead(200, headersOf(file, info.size, false, validators));
  if (head) {
    await handle.close();
    res.end();
    return true;
  }
  // pipeline, not pipe: a read that fails (an I/O error) ends this answer instead of being an unhandled
  // error that stops the server
  pipeline(handle.createReadStream(), res, () => undefined);
  return true;
}
