import type { RequestRecord } from "@infermark/core";
import type { Item } from "../logic/types.js";

/** The data a self-contained report embeds (window.__INFERMARK_REPORT__). */
export interface ReportData {
  title: string;
  generatedAt: string;
  points: Item[];
  /** request records by point id, for the run detail view */
  requests?: Record<string, RequestRecord[]>;
}

/** Where the dashboard reads points from: the `infermark ui` HTTP API, or data embedded in a report. */
export interface DataSource {
  kind: "api" | "report";
  title: string;
  /** every point (all dates), possibly slimmed for transfer */
  points(): Promise<Item[]>;
  /** one full point */
  point(id: string): Promise<Item | undefined>;
  /** the request records of a point, undefined when none are stored */
  requests(id: string): Promise<RequestRecord[] | undefined>;
}

declare global {
  interface Window {
    __INFERMARK_REPORT__?: ReportData;
  }
}

async function getJson<T>(url: string): Promise<T | undefined> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  if (res.status === 404) return undefined;
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new Error(`${url}: ${res.status} ${body.error ?? res.statusText}`);
  }
  return (await res.json()) as T;
}

/** The API data source, relative to the page (so the dashboard works behind a path prefix). */
export function apiSource(base = "api"): DataSource {
  return {
    kind: "api",
    title: "infermark dashboard",
    points: async () =>
      (await getJson<{ points: Item[] }>(`${base}/points?fields=slim`))?.points ?? [],
    point: (id) => getJson<Item>(`${base}/points/${encodeURIComponent(id)}`),
    requests: async (id) =>
      (
        await getJson<{ requests: RequestRecord[] }>(
          `${base}/points/${encodeURIComponent(id)}/requests`,
        )
      )?.requests,
  };
}

/** The data source of a self-contained report. */
export function reportSource(data: ReportData): DataSource {
  const byId = new Map(data.points.map((i) => [i.id, i]));
  return {
    kind: "report",
    title: data.title,
    points: async () => data.points,
    point: async (id) => byId.get(id),
    requests: async (id) => data.requests?.[id],
  };
}
