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
  if (!scriptTag.test(page!) || !styleTag.test(page!))
    throw new WebAssetsError(
      `${join(dir, "index.html")} does not reference app.js and app.css; rebuild the dashboard`,
    );
  const title = data.title.replace(/[<&]/g, (c) => (c === "<" ? "&lt;" : "&amp;"));
  return page!
    .replace(/<title>[^<]*<\/title>/, () => `<title>${title}</title>`)
    .replace(styleTag, () => `<style>${css!.replace(/<\/(style)/gi, "<\\/$1")}</style>`)
    .replace(
      scriptTag,
      () =>
        `<script>window.__INFERMARK_REPORT__=${scriptJson(data)};</script>\n<script type="module">${scriptText(js!)}</script>`,
    );
}
