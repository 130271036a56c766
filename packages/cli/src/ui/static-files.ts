import { open } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { pipeline } from "node:stream";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

/**
 * Sends a file of the built dashboard; `/` is index.html. Paths that leave the folder or do not exist give false
 * (the caller answers 404).
 */
export async function sendStatic(
  dir: string,
  urlPath: string,
  res: ServerResponse,
): Promise<boolean> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return false;
  }
  if (rel === "/" || rel === "") rel = "/index.html";
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
  res.writeHead(200, {
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "content-length": info.size,
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
  });
  // pipeline, not pipe: a read that fails (an I/O error) ends this answer instead of being an unhandled
  // error that stops the server
  pipeline(handle.createReadStream(), res, () => undefined);
  return true;
}
