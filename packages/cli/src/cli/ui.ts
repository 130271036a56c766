import { InfermarkError, type PointFilter } from "@infermark/core";
import { openStore, storeLocation } from "@infermark/store";
import { requireWebApp } from "@infermark/web";
import type { Command } from "commander";
import { CATALOG_ENV, loadCatalogFigures } from "../commands/catalog.js";
import { writeExport } from "../commands/export.js";
import { buildReport, refuseInputAsOutput } from "../commands/report.js";
import { UsageError } from "../errors.js";
import { isLoopback } from "../ui/allowed-hosts.js";
import {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  startUiServer,
  UI_TOKEN_ENV,
  type UiServer,
} from "../ui/api-server.js";
import { DEFAULT_MAX_HEAVY_REQUESTS } from "../ui/heavy-gate.js";
import { listenError } from "../ui/listen-error.js";
import { UI_POSTGRES_TIMEOUTS } from "../ui/store-busy.js";
import { addFilterOptions, type FilterFlags, toPointFilter } from "./filters.js";
import { numberFlag, port, positiveInt } from "./parse.js";

const DB_HELP =
  "database: SQLite file or postgres://user:pass@host:port/db (default $INFERMARK_DB, else infermark.db)";
/** The flags of `infermark ui`. */
type UiFlags = {
  db?: string;
  port: number;
  host: string;
  allowedHost?: string[];
  catalog?: string;
  maxConnections: number;
  maxHeavyRequests: number;
  headersTimeout: number;
};
/** The longest `--headers-timeout`: Node's own bound on a whole request (requestTimeout, 300 s). */
const MAX_HEADERS_TIMEOUT_S = 300;
/** `--catalog` of ui and report: the figures the dashboard computes cost and energy with, where they go. */
const catalogHelp = (where: string) =>
  `catalog override file (YAML or JSON): cost and provisioned energy use its GPU prices and all-in power, ${where}; also INFERMARK_CATALOG`;

/** Registers `infermark ui` (dashboard server) and `infermark report` (self-contained HTML report). */
export function registerUi(program: Command): void {
  program
    .command("ui")
    .description(
      `serve the dashboard and its read-only HTTP API over the store on localhost (writes need ${UI_TOKEN_ENV})`,
    )
    .option("--db <url>", DB_HELP)
    .option("--port <n>", "port (0 picks a free one)", port, 8080)
    .option("--host <addr>", "address to listen on", "127.0.0.1")
    .option(
      "--allowed-host <names>",
      "names the dashboard is opened by besides its IP addresses, localhost and this machine's hostname (a proxy's, a DNS alias), comma-separated; requests naming others are refused (DNS rebinding)",
      (value: string, previous: string[] = []) => [...previous, ...value.split(",")],
    )
    .option("--catalog <file>", catalogHelp("cited with the file's name"))
    .option(
      "--max-connections <n>",
      "most connections open at once, idle keep-alive ones included; past it a new connection is closed at once",
      positiveInt("--max-connections"),
      DEFAULT_MAX_CONNECTIONS,
    )
    .option(
      "--max-heavy-requests <n>",
      "most full-data answers (fields=full, a point's /requests) made or sent at once; one more is answered 503 with Retry-After",
      positiveInt("--max-heavy-requests"),
      DEFAULT_MAX_HEAVY_REQUESTS,
    )
    .option(
      "--headers-timeout <s>",
      "seconds a client may take to send a request's headers; one slower is answered 408 and its connection closed",
      numberFlag(
        "--headers-timeout",
        (n) => Number.isFinite(n) && n >= 1 && n <= MAX_HEADERS_TIMEOUT_S,
        `seconds from 1 to ${MAX_HEADERS_TIMEOUT_S}`,
      ),
      DEFAULT_HEADERS_TIMEOUT_MS / 1000,
    )
    .action(async (opts: UiFlags) => {
      // a bad override file is refused before the store opens or the server listens
      const catalog = await loadCatalogFigures(opts.catalog);
      const appDir = requireWebApp();
      const token = process.env[UI_TOKEN_ENV]?.trim() || undefined;
      // read-only, the dashboard of a store that does not exist is a mistake; with writes it may fill
      // SQLite answers "locked" at once: the server waits for another process's write on a timer, serving the rest;
      // PostgreSQL waits itself, asynchronously, but only so long: a lock held elsewhere, or a stuck statement, must
      // not keep a request, and its pooled connection, without end
      const store = await openStore(opts.db, {
        create: Boolean(token),
        busyTimeoutMs: 0,
        postgresTimeouts: UI_POSTGRES_TIMEOUTS,
      });
      let ui: UiServer;
      try {
        ui = await startUiServer({
          store,
          appDir,
          host: opts.host,
          ...(opts.allowedHost ? { allowedHosts: opts.allowedHost } : {}),
          port: opts.port,
          catalog,
          maxConnections: opts.maxConnections,
          maxHeavyRequests: opts.maxHeavyRequests,
          headersTimeoutMs: Math.round(opts.headersTimeout * 1000),
          ...(token ? { token } : {}),
        });
      } catch (error) {
        // an open PostgreSQL pool would hold the process until its connections time out
        await store.close();
        throw listenError(error, opts.port, opts.host);
      }
      const prices = catalog.override ? `; catalog override ${catalog.override.file}` : "";
      console.log(
        `infermark dashboard on ${ui.url} (store ${store.location}; ${token ? "writes need the token" : "read-only"}${prices}; Ctrl-C stops)`,
      );
      if (!isLoopback(opts.host))
        console.error(
          `infermark: warning: --host ${opts.host}: the dashboard and its API answer other machines too, without TLS${token ? " (the write token crosses the network in clear text)" : ""}`,
        );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          void ui
            .close()
            .then(() => store.close())
            .then(resolve);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });

  addFilterOptions(
    program
      .command("report")
      .description(
        "write a self-contained HTML report (dashboard and data in one file; no server, no network)",
      )
      .argument(
        "<inputs...>",
        "a database (SQLite file or postgres:// URL) or PointResult files and folders",
      )
      .requiredOption("-o, --output <file>", "the HTML file to write")
      .option("--title <text>", "report title", "infermark report")
      .option(
        "--requests",
        "embed request records (run detail distributions): stored ones, or each point file's <point>.requests.jsonl",
      )
      .option("--catalog <file>", catalogHelp("embedded in the report")),
  ).action(
    async (
      inputs: string[],
      opts: FilterFlags & { output: string; title: string; requests?: boolean; catalog?: string },
    ) => {
      const filter = toPointFilter(opts);
      if (opts.output === "-")
        throw new UsageError("-o -: the report is one HTML file: give its name (report.html)");
      // the catalog override file is read too: the report must not replace it
      const catalogFile = opts.catalog ?? process.env[CATALOG_ENV];
      await refuseInputAsOutput(opts.output, [...inputs, ...(catalogFile ? [catalogFile] : [])]);
      const result = await buildReport(inputs, {
        filter,
        title: opts.title,
        ...(opts.requests ? { requests: true } : {}),
        catalog: await loadCatalogFigures(opts.catalog),
      });
      for (const s of result.skipped.slice(0, 10)) console.error(`skipped ${s.path}: ${s.reason}`);
      if (result.skipped.length > 10)
        console.error(`... and ${result.skipped.length - 10} more skipped documents`);
      // a report of nothing is a mistake to say, not an empty page to find later
      if (result.points === 0)
        throw new InfermarkError("E_NO_POINTS", nothingToReport(inputs, filter));
      await writeExport(opts.output, result.html);
      console.log(
        `wrote ${opts.output}: ${result.points} points${result.requests ? `, ${result.requests} request records` : ""}, ${(Buffer.byteLength(result.html) / 1024).toFixed(0)} KiB`,
      );
    },
  );
}

/** The filter flag of each PointFilter field, to name the filters a report was asked for. */
const FILTER_FLAGS: Partial<Record<keyof PointFilter, string>> = {
  model: "--model",
  isl: "--isl",
  osl: "--osl",
  workload: "--workload",
  hardware: "--hardware",
  framework: "--framework",
  precision: "--precision",
  spec: "--spec",
  disaggregated: "--disagg",
  image: "--image",
  version: "--framework-version",
  source: "--source",
  dateFrom: "--from",
  dateTo: "--to",
  validOnly: "--valid-only",
};

/** Why a report has no points, naming the filters when some were given (--latest alone keeps some of any). */
function nothingToReport(inputs: readonly string[], filter: PointFilter): string {
  const given = (Object.keys(filter) as (keyof PointFilter)[]).flatMap(
    (k) => FILTER_FLAGS[k] ?? [],
  );
  // a PostgreSQL input without its password
  const where = inputs.map(storeLocation).join(", ");
  return given.length > 0
    ? `no points to report: none in ${where} matches ${given.join(" ")}; nothing written`
    : `no points to report: ${where} holds none; nothing written`;
}
