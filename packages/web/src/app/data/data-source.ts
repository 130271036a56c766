import {
  matchesFilter,
  type PointSource,
  type RequestRecord,
  selectPointSet,
} from "@infermark/core";
import { type FilterOptions, filterOptions } from "../logic/select-points.js";
import type { Item } from "../logic/types.js";
import { BUILT_IN_FIGURES, type CatalogFigures, checkCatalogFigures } from "./catalog-figures.js";
import { decodePointColumns, type PointColumns } from "./point-columns.js";

/** The data a self-contained report embeds (window.__INFERMARK_REPORT__). */
export interface ReportData {
  title: string;
  generatedAt: string;
  points: Item[];
  /** request records by point id, for the run detail view */
  requests?: Record<string, RequestRecord[]>;
  /** the catalog figures the report was written with (reports of earlier versions have none) */
  catalog?: CatalogFigures;
}

/**
 * Which points a view needs from the source: those of some sources (all when empty) up to a day (inclusive; all
 * when empty), either the latest of each configuration and load level (the default point set, as InferenceX
 * shows it) or every date (trends, run list).
 */
export interface PointScope {
  source: readonly PointSource[];
  asOf: string;
  latest: boolean;
  /** only points marked valid, taken before "latest" (the CLI's `--valid-only`, core's PointFilter `validOnly`) */
  validOnly: boolean;
}

/** One full point, and how many request records are stored with it. */
export interface PointDetail extends Item {
  /** the number of stored request records (undefined: a server of an earlier version, which does not say) */
  requestRecords?: number;
}

/** Where the dashboard reads points from: the `infermark ui` HTTP API, or data embedded in a report. */
export interface DataSource {
  kind: "api" | "report";
  title: string;
  /** the (slim) points of a scope */
  points(scope: PointScope): Promise<Item[]>;
  /** the choices of the filter controls, over every stored point */
  options(): Promise<FilterOptions>;
  /** one full point, with the number of request records stored with it */
  point(id: string): Promise<PointDetail | undefined>;
  /** the request records of a point, undefined when none are stored */
  requests(id: string): Promise<RequestRecord[] | undefined>;
  /** the GPUs' prices and all-in power the cost and energy metrics use, with their sources */
  catalog(): Promise<CatalogFigures>;
  /** a report that embeds no request records (written without `--requests`), whatever the store holds */
  reportWithoutRecords: boolean;
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

/** The query string of a scope for `GET /api/points` (columnar slim points). */
export function scopeQuery(scope: PointScope): string {
  const q = new URLSearchParams({ fields: "columns", latest: String(scope.latest) });
  if (scope.source.length > 0) q.set("source", scope.source.join(","));
  if (scope.asOf) q.set("dateTo", scope.asOf);
  if (scope.validOnly) q.set("validOnly", "true");
  return q.toString();
}

/** The filter choices from the API's group and date lists. */
function optionsOf(
  groups: readonly {
    model: string;
    isl: number;
    osl: number;
    /** the workload kind (a store before it had none: random) */
    workload?: string;
    hardware: string;
    framework: string;
    precision: string;
    spec: string;
  }[],
  dates: readonly string[],
): FilterOptions {
  const sorted = (f: (g: (typeof groups)[number]) => string) => [...new Set(groups.map(f))].sort();
  const workloads = [...new Set(groups.map((g) => `${g.isl}/${g.osl}`))];
  const pairs = workloads.map((w) => w.split("/").map(Number) as [number, number]);
  return {
    model: sorted((g) => g.model),
    workload: pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([i, o]) => `${i}/${o}`),
    kind: sorted((g) => g.workload ?? "random"),
    hardware: sorted((g) => g.hardware),
    framework: sorted((g) => g.framework),
    precision: sorted((g) => g.precision),
    spec: sorted((g) => g.spec),
    dates: [...new Set(dates)].sort(),
  };
}

/**
 * The API data source, relative to the page (so the dashboard works behind a path prefix). Points come in the
 * columnar form (`fields=columns`), the server selecting the latest points (`latest=true`).
 */
export function apiSource(base = "api"): DataSource {
  return {
    kind: "api",
    title: "infermark dashboard",
    reportWithoutRecords: false,
    points: async (scope) => {
      const t0 = performance.now();
      const columns = await getJson<PointColumns>(`${base}/points?${scopeQuery(scope)}`);
      const t1 = performance.now();
      const items = columns ? decodePointColumns(columns) : [];
      performance.measure("infermark:download", { start: t0, end: t1 });
      performance.measure("infermark:decode", { start: t1, end: performance.now() });
      return items;
    },
    options: async () => {
      const [groups, dates] = await Promise.all([
        getJson<{ groups: Parameters<typeof optionsOf>[0] }>(`${base}/groups`),
        getJson<{ dates: string[] }>(`${base}/dates`),
      ]);
      return optionsOf(groups?.groups ?? [], dates?.dates ?? []);
    },
    point: (id) => getJson<PointDetail>(`${base}/points/${encodeURIComponent(id)}`),
    requests: async (id) =>
      (
        await getJson<{ requests: RequestRecord[] }>(
          `${base}/points/${encodeURIComponent(id)}/requests`,
        )
      )?.requests,
    // a server without the endpoint (404) has only the built-in catalog to offer
    catalog: async () => {
      const figures = await getJson<unknown>(`${base}/catalog`);
      return figures === undefined ? BUILT_IN_FIGURES : checkCatalogFigures(figures);
    },
  };
}

/** The data source of a self-contained report: the scope is selected in the page with core's selectPointSet. */
export function reportSource(data: ReportData): DataSource {
  const byId = new Map(data.points.map((i) => [i.id, i]));
  return {
    kind: "report",
    title: data.title,
    reportWithoutRecords: data.requests === undefined,
    points: async (scope) => {
      const filter = {
        ...(scope.source.length > 0 ? { source: [...scope.source] } : {}),
        ...(scope.asOf ? { dateTo: scope.asOf } : {}),
        ...(scope.validOnly ? { validOnly: true } : {}),
      };
      const scoped = data.points.filter((i) => matchesFilter(i.point, filter));
      return scope.latest ? selectPointSet(scoped, { kind: "latest" }, (i) => i.point) : scoped;
    },
    options: async () => filterOptions(data.points),
    point: async (id) => {
      const item = byId.get(id);
      return item && { ...item, requestRecords: data.requests?.[id]?.length ?? 0 };
    },
    requests: async (id) => data.requests?.[id],
    catalog: async () => (data.catalog ? checkCatalogFigures(data.catalog) : BUILT_IN_FIGURES),
  };
}
