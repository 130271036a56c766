import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { PointResult, RequestRecord } from "@infermark/core";
import { BUILT_IN_FIGURES, type CatalogFigures } from "../app/data/catalog-figures.js";
import { requireWebApp } from "./app-dir.js";
import { WebAssetsError } from "./errors.js";

/** What a report embeds. */
export interface ReportInput {
  /** @default "infermark report" */
  title?: string;
  points: readonly { id: string; point: PointResult }[];
  /** request records by point id, for the run detail view */
  requests?: Readonly<Record<string, readonly RequestRecord[]>>;
  /**
   * the GPU prices and all-in power the report's cost and energy figures use (`catalogFigures` of a catalog with
   * an override applied). @default BUILT_IN_FIGURES
   */
  catalog?: CatalogFigures;
  /** @default now */
  generatedAt?: string;
}

/** JSON that is safe inside an HTML <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Script text that cannot close its <script> element early. */
const scriptText = (code: string) => code.replace(/<\/(script)/gi, "<\\/$1");

/**
 * The report's Content Security Policy, for a `<meta>` element (a file opened from disk has no server to send the
 * header): its two inline scripts by their hashes and nothing else runs; inline styles (its stylesheet, the
 * style attributes ECharts writes), data: and blob: images (the icon, Export PNG); nothing is fetched, framed,
 * posted or loaded from anywhere, the network or the disk.
 * @example reportCsp(["window.x=1;"]) // "default-src 'none'; script-src 'sha256-...'; ..."
 */
export function reportCsp(inlineScripts: readonly string[]): string {
  const hashes = inlineScripts.map(
    (code) => `'sha256-${createHash("sha256").update(code, "utf8").digest("base64")}'`,
  );
  return [
    "default-src 'none'",
    `script-src ${hashes.join(" ")}`,
    "style-src 'unsafe-inline'",
    "img-src data: blob:",
    "connect-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/**
 * Builds the self-contained HTML report: the built dashboard page with its script, stylesheet and the data
 * inlined, the catalog figures included (no server, no network; the dashboard reads `window.__INFERMARK_REPORT__`
 * instead of the API).
 * @example await writeFile("report.html", await renderReportHtml({ points }))
 */
export async function renderReportHtml(input: ReportInput): Promise<string> {
  const dir = requireWebApp();
  const [page, js, css] = await Promise.all(
    ["index.html", "app.js", "app.css"].map((f) => readFile(join(dir, f), "utf8")),
  );
  const data = {
    title: input.title ?? "infermark report",
    generatedAt: input.generatedAt ?? new Date().toISOString(),
    points: input.points,
    ...(input.requests ? { requests: input.requests } : {}),
    catalog: input.catalog ?? BUILT_IN_FIGURES,
  };
  const scriptTag = /<script type="module"[^>]*src="\.\/app\.js"[^>]*><\/script>/;
  const styleTag = /<link rel="stylesheet"[^>]*href="\.\/app\.css"[^>]*>/;
  if (!scriptTag.test(page!) || !styleTag.test(page!) || !page!.includes("<head>"))
    throw new WebAssetsError(
      `${join(dir, "index.html")} does not reference app.js and app.css in its <head>; rebuild the dashboard`,
    );
  const title = data.title.replace(/[<&]/g, (c) => (c === "<" ? "&lt;" : "&amp;"));
  const dataScript = `window.__INFERMARK_REPORT__=${scriptJson(data)};`;
  const appScript = scriptText(js!);
  // first in <head>: a policy applies only to what the page meets after it
  const csp = `<meta http-equiv="Content-Security-Policy" content="${reportCsp([dataScript, appScript])}" />`;
  return page!
    .replace(/<head>/, () => `<head>\n    ${csp}`)
    .replace(/<title>[^<]*<\/title>/, () => `<title>${title}</title>`)
    .replace(styleTag, () => `<style>${css!.replace(/<\/(style)/gi, "<\\/$1")}</style>`)
    .replace(
      scriptTag,
      () => `<script>${dataScript}</script>\n<script type="module">${appScript}</script>`,
    );
}
