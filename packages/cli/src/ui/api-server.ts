import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { BUILT_IN_FIGURES, encodePointColumns } from "@infermark/web";
import { allowedHostNames, hostAllowed, unknownHost } from "./allowed-hosts.js";
import { answerCache } from "./answer-cache.js";
import { BusyError, DEFAULT_MAX_HEAVY_REQUESTS, heavyGate } from "./heavy-gate.js";
import {
  answerClientError,
  HttpError,
  noQuery,
  pointId,
  rawAnswer,
  requestUrl,
  sendJson,
} from "./http.js";
import { pointRequestsText } from "./point-requests.js";
import { type ParsedPointQuery, PointQuery, parsePointQuery } from "./query-params.js";
import { securityHeaders } from "./security-headers.js";
import { closeStalled, whileServerWorks } from "./server-work.js";
import { slimPoint } from "./slim-point.js";
import { sendStatic } from "./static-files.js";
import { DEFAULT_BUSY_WAIT_MS, StoreUnavailableError, whileBusy } from "./store-busy.js";
import { storeFileGuard } from "./store-file-guard.js";
import { storeVersion } from "./store-version.js";
import {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_STALL_TIMEOUT_MS,
  type UiServer,
  type UiServerOptions,
} from "./ui-server-options.js";
import { pointsWriter } from "./write-points.js";

export {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_STALL_TIMEOUT_MS,
  UI_TOKEN_ENV,
  type UiServer,
  type UiServerOptions,
} from "./ui-server-options.js";

const POINT_ID = /^\/api\/points\/([^/]+)$/;
const POINT_REQUESTS = /^\/api\/points\/([^/]+)\/requests$/;

/**
 * Builds the request handler of the dashboard: read-only JSON endpoints over the store, one token-guarded write
 * endpoint, and the built dashboard's files.
 *
 * - `GET /api/points?<filter>&fields=slim|full` -> `{ points: [{ id, point }] }`; `fields=columns` -> the slim
 *   points as PointColumns (dictionary-encoded configurations, one array per metric: the dashboard's list)
 * - `GET /api/groups?<filter>` -> `{ groups }`, `GET /api/dates?<filter>` -> `{ dates }`
 * - `GET /api/points/:id` -> `{ id, point, requestRecords }` (how many request records are stored with it); `GET /api/points/:id/requests` -> `{ requests }` (404 when none)
 * - `GET /api/catalog` -> the CatalogFigures (GPU prices and all-in power, with sources) the dashboard uses
 * - `POST /api/points` with `Authorization: Bearer <token>` and a JSON array of PointResults (or
 *   `{ points, requests? }`) -> the ingest result
 *
 * Bad query parameters give 400 with `{ error }`.
 */
export function createUiHandler(options: UiServerOptions): UiHandler {
  const { store, appDir, token } = options;
  const hostNames = allowedHostNames(options.host ?? "127.0.0.1", options.allowedHosts);
  const maxBody = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const maxRequests = options.maxRequestsBytes ?? 256 * 1024 * 1024;
  const heavy = heavyGate(options.maxHeavyRequests ?? DEFAULT_MAX_HEAVY_REQUESTS);
  const logError = options.logError ?? ((line: string) => console.error(line));
  const catalogText = JSON.stringify(options.catalog ?? BUILT_IN_FIGURES);
  const storeFileCheck = storeFileGuard(store);
  const busyWait = options.busyWaitMs ?? DEFAULT_BUSY_WAIT_MS;
  const read = <T>(work: () => Promise<T>) => whileBusy(work, busyWait, "reading");
  // Serialised answers of the list endpoints per (normalised) query: the overview is read far more often than
  // written. The store's version is the length of its ingest log, which every ingest (from any process) appends to
  // in the transaction that writes its points.
  const version = storeVersion(store.db, store.dialect);
  const cache = answerCache({
    ...(options.maxCacheBytes !== undefined ? { maxBytes: options.maxCacheBytes } : {}),
    version: () => read(version),
  });
  const cached = (key: string, make: () => Promise<string>) => cache.get(key, () => read(make));
  const pointsText = async (q: ParsedPointQuery): Promise<string> => {
    const rows = await store.queryPoints(q.filter);
    if (q.fields === "full")
      return JSON.stringify({ points: rows.map((r) => ({ id: r.id, point: r.point })) });
    const slim = rows.map((r) => ({ id: r.id, point: slimPoint(r.point) }));
    return q.fields === "slim"
      ? JSON.stringify({ points: slim })
      : JSON.stringify(encodePointColumns(slim));
  };

  const query = (url: URL, allowFields = false) => {
    // the PointQuery parameters; `fields` only where points are returned
    const known = Object.keys(PointQuery.shape).filter((k) => allowFields || k !== "fields");
    const parsed = parsePointQuery(url.searchParams, known);
    if (!parsed.ok) throw new HttpError(400, parsed.message);
    return parsed.value;
  };

  const get = async (req: IncomingMessage, url: URL, res: ServerResponse): Promise<void> => {
    const path = url.pathname;
    if (path.startsWith("/api/")) await storeFileCheck();
    if (path === "/api/points") {
      const q = query(url, true);
      if (q.fields === "full") {
        heavy.enter(res, "fields=full");
        return sendJson(res, 200, await read(() => pointsText(q)));
      }
      return sendJson(res, 200, await cached(`points ${JSON.stringify(q)}`, () => pointsText(q)));
    }
    if (path === "/api/groups") {
      const { filter } = query(url);
      return sendJson(
        res,
        200,
        await cached(`groups ${JSON.stringify(filter)}`, async () =>
          JSON.stringify({ groups: await store.listGroups(filter) }),
        ),
      );
    }
    if (path === "/api/dates") {
      const { filter } = query(url);
      return sendJson(
        res,
        200,
        await cached(`dates ${JSON.stringify(filter)}`, async () =>
          JSON.stringify({ dates: await store.listDates(filter) }),
        ),
      );
    }
    if (path === "/api/catalog") {
      noQuery(url);
      return sendJson(res, 200, catalogText);
    }
    if (path === "/api/health") {
      noQuery(url);
      return sendJson(res, 200, { ok: true, store: store.dialect, writable: Boolean(token) });
    }
    const requests = POINT_REQUESTS.exec(path);
    if (requests) {
      noQuery(url);
      const id = pointId(requests[1]!);
      heavy.enter(res, "request records");
      return sendJson(res, 200, await read(() => pointRequestsText(store, id, maxRequests)));
    }
    const one = POINT_ID.exec(path);
    if (one) {
      noQuery(url);
      const id = pointId(one[1]!);
      const answer = await read(async () => {
        const stored = await store.getPoint(id);
        if (!stored) throw new HttpError(404, `no point with id ${id}`);
        // how many request records are stored with it: the dashboard asks for them only when there are some
        const counted = await store.db
          .selectFrom("request_records")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("point_id", "=", id)
          .executeTakeFirst();
        return { id: stored.id, point: stored.point, requestRecords: Number(counted?.n ?? 0) };
      });
      return sendJson(res, 200, answer);
    }
    if (path.startsWith("/api/")) throw new HttpError(404, `no endpoint ${path}`);
    if (appDir && (await sendStatic(appDir, path, req, res))) return;
    throw new HttpError(
      404,
      appDir ? `not found: ${path}` : "the dashboard is not served (API only)",
    );
  };

  const post = pointsWriter({
    store,
    token,
    maxBodyBytes: maxBody,
    checkStore: storeFileCheck,
    written: () => cache.clear(),
  });

  // a browser names the site it thinks it talks to: a name this server does not have is a DNS-rebinding page's
  const hostRefusal = (req: IncomingMessage): HttpError | undefined => {
    const host = req.headers.host;
    if (host === undefined && req.httpVersion !== "1.0")
      return new HttpError(400, "an HTTP/1.1 request needs a Host header");
    if (!hostAllowed(host, hostNames)) return new HttpError(403, unknownHost(host!));
    return undefined;
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = requestUrl(req.url);
    const allow =
      url?.pathname === "/api/points" ? "GET, HEAD, POST, OPTIONS" : "GET, HEAD, OPTIONS";
    const refused = !url ? new HttpError(400, "bad request target") : hostRefusal(req);
    if (!refused && req.method === "OPTIONS") {
      res.writeHead(204, { allow, "cache-control": "no-store", ...securityHeaders() });
      res.end();
      return;
    }
    const run = refused
      ? Promise.reject(refused)
      : req.method === "GET" || req.method === "HEAD"
        ? whileServerWorks(res, () => get(req, url!, res))
        : req.method === "POST" && allow.includes("POST")
          ? post(req, url!, res)
          : Promise.reject(
              new HttpError(405, `method ${req.method} not allowed here; allowed: ${allow}`, {
                allow,
              }),
            );
    run.catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      // the database's own words, for the operator
      const reason = error instanceof StoreUnavailableError ? ` (${error.reason})` : "";
      if (status >= 500 && !(error instanceof BusyError))
        logError(
          `infermark ui: ${req.method} ${url?.pathname ?? "?"}: ${status} ${message}${reason}`,
        );
      const headers = error instanceof HttpError ? error.headers : {};
      // a failed read's cause (a database error, its server's address) is for the log, not for whoever asked
      const shown = error instanceof HttpError ? message : FAILED_READ;
      if (!res.headersSent) sendJson(res, status, { error: shown }, headers);
      else res.destroy();
    });
  };
  /** Computes the dashboard's first answers ahead of its first request (see UiServerOptions.warm). */
  const warm = async (): Promise<void> => {
    const params = [
      "api/groups",
      "api/dates",
      `api/points?${new URLSearchParams({ fields: "columns", latest: "true" })}`,
    ];
    for (const p of params) {
      const url = new URL(p, "http://localhost/");
      const filter = parsePointQuery(url.searchParams);
      if (!filter.ok) continue;
      const q = filter.value;
      if (url.pathname === "/api/points")
        await cached(`points ${JSON.stringify(q)}`, () => pointsText(q));
      else if (url.pathname === "/api/groups")
        await cached(`groups ${JSON.stringify(q.filter)}`, async () =>
          JSON.stringify({ groups: await store.listGroups(q.filter) }),
        );
      else
        await cached(`dates ${JSON.stringify(q.filter)}`, async () =>
          JSON.stringify({ dates: await store.listDates(q.filter) }),
        );
    }
  };
  return Object.assign(handler, { warm });
}

/** The request handler of the dashboard server, and how to prepare its first answers. */
export type UiHandler = ((req: IncomingMessage, res: ServerResponse) => void) & {
  warm(): Promise<void>;
};

/**
 * Starts the dashboard server on localhost (by default) and resolves once it listens.
 * @example const ui = await startUiServer({ store, appDir: requireWebApp(), port: 0 }); console.log(ui.url)
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const handler = createUiHandler(options);
  // Host is checked by the handler, which answers its absence in the API's JSON shape
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const server = createServer(
    {
      requireHostHeader: false,
      headersTimeout,
      // Node checks the timeouts on this period (30 s unless told): the bound would be that much looser
      connectionsCheckingInterval: Math.min(1_000, headersTimeout),
    },
    handler,
  );
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  // a silent socket is destroyed (the answer's "close" frees what it held), unless the server is working for it
  server.timeout = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  server.on("timeout", closeStalled);
  server.on("clientError", answerClientError);
  // without a listener Node drops a CONNECT's connection without a word; no path here takes it
  server.on("connect", (_req: IncomingMessage, socket: Duplex) =>
    socket.end(
      rawAnswer(405, JSON.stringify({ error: "method CONNECT not allowed here" }), {
        allow: "GET, HEAD, OPTIONS",
      }),
    ),
  );
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8080, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  // failures surface on the first request that needs the answer
  if (options.warm ?? true) setImmediate(() => void handler.warm().catch(() => undefined));
  const shown = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  return {
    server,
    url: `http://${shown}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What a client is told of a read that failed; the server's log has the cause. */
export const FAILED_READ =
  "the server could not answer this request; its log (the stderr of infermark ui) says why";
