import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { IngestError, type Store } from "@infermark/store";
import { BUILT_IN_FIGURES, type CatalogFigures, encodePointColumns } from "@infermark/web";
import { allowedHostNames, hostAllowed, unknownHost } from "./allowed-hosts.js";
import { answerCache } from "./answer-cache.js";
import { BusyError, DEFAULT_MAX_HEAVY_REQUESTS, heavyGate } from "./heavy-gate.js";
import {
  answerClientError,
  HttpError,
  noQuery,
  pointId,
  rawAnswer,
  readBody,
  requestUrl,
  sendJson,
} from "./http.js";
import { pointRequestsText } from "./point-requests.js";
import { type ParsedPointQuery, PointQuery, parsePointQuery } from "./query-params.js";
import { securityHeaders } from "./security-headers.js";
import { slimPoint } from "./slim-point.js";
import { sendStatic } from "./static-files.js";
import {
  DEFAULT_BUSY_WAIT_MS,
  StoreUnavailableError,
  WRITE_LOCK_WAIT_MS,
  whileBusy,
} from "./store-busy.js";
import { storeFileGuard } from "./store-file-guard.js";
import { parseWriteBody } from "./write-body.js";

/** The environment variable holding the token that write requests must present. */
export const UI_TOKEN_ENV = "INFERMARK_UI_TOKEN";

/** Options of the dashboard server. */
export interface UiServerOptions {
  store: Store;
  /** folder of the built dashboard; absent: API only */
  appDir?: string;
  /**
   * the GPU prices and all-in power the dashboard computes cost and energy with (`GET /api/catalog`):
   * `loadCatalogFigures` of an override file. @default BUILT_IN_FIGURES
   */
  catalog?: CatalogFigures;
  /** token required by write endpoints (Authorization: Bearer ...); absent: writes are refused */
  token?: string;
  /** @default "127.0.0.1" */
  host?: string;
  /**
   * Names a request's Host header may give besides IP addresses and `localhost`: the names the dashboard is opened
   * by (a TLS proxy's, a DNS alias). Requests naming another host answer 403, so that a DNS-rebinding page cannot
   * read the store through a team member's browser. `host` itself when it is a name, and this machine's hostname
   * when `host` is not loopback, are always allowed.
   * @default []
   */
  allowedHosts?: readonly string[];
  /** @default 8080; 0 picks a free port */
  port?: number;
  /** largest accepted request body, bytes. @default 64 MiB */
  maxBodyBytes?: number;
  /**
   * The most JSON of request records `GET /api/points/:id/requests` answers with; a point with more gets 413 and
   * one line saying so (a level of 8k-token streams at high concurrency stores GBs: one answer string cannot hold
   * it, the server would run out of memory building it, and no browser could chart it).
   * @default 256 MiB
   */
  maxRequestsBytes?: number;
  /** most characters of list answers kept in the cache. @default DEFAULT_ANSWER_CACHE_BYTES (256 MiB) */
  maxCacheBytes?: number;
  /**
   * The most full-data answers (`GET /api/points?fields=full`, `GET /api/points/:id/requests`) made or being sent
   * at once; one more is answered 503 with Retry-After (each holds its whole query in memory until its client has
   * read it). @default DEFAULT_MAX_HEAVY_REQUESTS (4)
   */
  maxHeavyRequests?: number;
  /**
   * How long a client may take to send a request's headers, ms; one slower is answered 408 and its connection
   * closed, so that clients that open connections and trickle their headers (slowloris) cannot hold the server's
   * sockets for long. @default DEFAULT_HEADERS_TIMEOUT_MS (10 s)
   */
  headersTimeoutMs?: number;
  /**
   * The most connections open at once, idle keep-alive ones included; past it a new connection is closed at once
   * (a burst of idle sockets would otherwise take the process's file descriptors, and with them the store's).
   * @default DEFAULT_MAX_CONNECTIONS (512)
   */
  maxConnections?: number;
  /**
   * How long a connection may stay silent, ms, while its request is being answered: neither a byte read from the
   * client nor one taken by it. Past it the connection is closed, so that a client that stops reading its answer
   * (a laptop closed mid-download, a stalled proxy) does not hold its socket, its answer's memory and, for a
   * full-data answer, one of `maxHeavyRequests` places for good. Idle keep-alive connections close after Node's
   * 5 s. Longer than a write waits for the store's lock (60 s), whose client hears nothing meanwhile.
   * @default DEFAULT_STALL_TIMEOUT_MS (120 s)
   */
  stallTimeoutMs?: number;
  /**
   * How long a read waits, ms, while the store answers that it is locked by another process's write; then it is
   * answered 503 with Retry-After. The waits are timers: the server answers other requests meanwhile. Takes effect
   * on an SQLite store opened with `busyTimeoutMs: 0` (SQLite's own wait would block the server inside the call); a
   * PostgreSQL store waits itself, as long as its connections' `lock_timeout` (`postgresTimeouts:
   * UI_POSTGRES_TIMEOUTS`, whose read lock bound is this default), and its lock timeout is answered 503 at once.
   * @default DEFAULT_BUSY_WAIT_MS (3 s)
   */
  busyWaitMs?: number;
  /**
   * Prepare the dashboard's first answers (its default point set in columns, the groups, the dates) right after
   * listening, so the first page load finds them ready. @default true
   */
  warm?: boolean;
  /**
   * Where a request the server could not answer (status 500 or more) is logged, one line with method, path, status and
   * reason (never the query or headers, which may hold the token). @default console.error
   */
  logError?: (line: string) => void;
}

/** A running dashboard server. */
export interface UiServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

const POINT_ID = /^\/api\/points\/([^/]+)$/;
const POINT_REQUESTS = /^\/api\/points\/([^/]+)\/requests$/;

/**
 * Compares tokens in time independent of where they differ and of their lengths: timingSafeEqual needs equal
 * lengths, and returning early on a length mismatch told a client the token's length.
 */
const sameToken = (given: string, expected: string) => {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
};

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
  const cache = answerCache({
    ...(options.maxCacheBytes !== undefined ? { maxBytes: options.maxCacheBytes } : {}),
    version: () =>
      read(async () => {
        const row = await store.db
          .selectFrom("ingest_log")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirst();
        return String(row?.n ?? 0);
      }),
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

  const post = async (req: IncomingMessage, url: URL, res: ServerResponse): Promise<void> => {
    noQuery(url);
    await storeFileCheck();
    if (!token)
      throw new HttpError(403, `writing is disabled; start the server with ${UI_TOKEN_ENV} set`);
    // the scheme is case-insensitive (RFC 9110 11.1): curl users write "bearer" too
    const given = /^Bearer +(.+?)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
    if (!given || !sameToken(given, token))
      throw new HttpError(401, "missing or wrong token (Authorization: Bearer <token>)", {
        "www-authenticate": 'Bearer realm="infermark"',
      });
    const body = parseWriteBody(await readBody(req, maxBody));
    if (!body.ok) throw new HttpError(400, body.message);
    const { points, requests } = body.value;
    try {
      // on a store that does not wait inside the call, a write lock held elsewhere fails the ingest before it
      // writes anything and lets go of the connection: it is tried again on a timer, and reads go on meanwhile
      const result = await whileBusy(
        () =>
          store.ingest(points, {
            kind: "ingest",
            path: "api",
            ...(requests ? { requests } : {}),
          }),
        WRITE_LOCK_WAIT_MS,
        "writing",
      );
      cache.clear();
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
        ? get(req, url!, res)
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
  // with no "timeout" listener Node destroys the silent socket, and the answer's "close" frees what it held
  server.timeout = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
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

/**
 * How many connections the dashboard server keeps open at once: 512 (a team of 50 behind a proxy, each browser
 * with its 6 connections, uses 300), well under the usual limit of 1,024 file descriptors a process may open.
 */
export const DEFAULT_MAX_CONNECTIONS = 512;

/** How long a connection may stay silent while its request is answered: 120 s (see UiServerOptions.stallTimeoutMs). */
export const DEFAULT_STALL_TIMEOUT_MS = 120_000;

/** How long a client may take to send a request's headers: 10 s (Node's own default is 60 s). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;

/** What a client is told of a read that failed; the server's log has the cause. */
export const FAILED_READ =
  "the server could not answer this request; its log (the stderr of infermark ui) says why";
