import type { Server } from "node:http";
import type { Store } from "@infermark/store";
import type { CatalogFigures } from "@infermark/web";

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
   * full-data answer, one of `maxHeavyRequests` places for good. The silence of the server itself does not count:
   * while it works on an answer (a write waiting for the store's lock, a slow query) the timer is off, so a client
   * always hears how its request ended. Idle keep-alive connections close after Node's 5 s.
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

/**
 * How many connections the dashboard server keeps open at once: 512 (a team of 50 behind a proxy, each browser
 * with its 6 connections, uses 300), well under the usual limit of 1,024 file descriptors a process may open.
 */
export const DEFAULT_MAX_CONNECTIONS = 512;

/** How long a connection may stay silent while its request is answered: 120 s (see UiServerOptions.stallTimeoutMs). */
export const DEFAULT_STALL_TIMEOUT_MS = 120_000;

/** How long a client may take to send a request's headers: 10 s (Node's own default is 60 s). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
