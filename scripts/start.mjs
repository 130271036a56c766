// `npm start`: the quickstart. Builds if needed, measures the quickstart sweep on the built-in simulator (DeepSeek-R1
// on simulated H200, B200 and MI355X; examples/quickstart.yaml) unless its results are already stored, imports the
// public InferenceX snapshot (examples/data/inferencex), prints a summary and serves the dashboard.
//   npm start                       reuse stored results
//   npm start -- --fresh            measure the sweep again
//   npm start -- --port 9000 --db my.db --no-serve
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: {
    fresh: { type: "boolean", default: false },
    build: { type: "boolean", default: false },
    serve: { type: "boolean", default: true },
    "no-serve": { type: "boolean", default: false },
    port: { type: "string", default: process.env.PORT ?? "8080" },
    host: { type: "string", default: "127.0.0.1" },
    db: { type: "string", default: process.env.INFERMARK_DB ?? join(root, "infermark.db") },
  },
});
const say = (line) => console.log(`[start] ${line}`);
const bin = join(root, "packages/cli/bin/infermark.js");
const cli = (argv, options = {}) =>
  spawnSync(process.execPath, [bin, ...argv], { cwd: root, stdio: "inherit", ...options });

// 1. build: when asked or when a build is missing. A build older than the sources (new code pulled, or edited) is
// said, not rebuilt unasked: `--build` rebuilds (a test run reading the build at the same time would break)
const BUILT = [
  "packages/cli/dist/cli.js",
  "packages/store/dist/index.js",
  "packages/web/dist/app/app.js",
];
const built = BUILT.every((f) => existsSync(join(root, f)));
/** The newest modification time (ms) of the files under a folder. */
const newest = (dir) => {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return t;
};
const stale =
  built &&
  !args.build &&
  readdirSync(join(root, "packages")).some((pkg) => {
    const src = join(root, "packages", pkg, "src");
    const oldest = Math.min(...BUILT.map((f) => statSync(join(root, f)).mtimeMs));
    return existsSync(src) && newest(src) > oldest;
  });
if (stale)
  say(
    "the build is older than the sources: npm start -- --build rebuilds it (this run uses the old build)",
  );
if (args.build || !built) {
  say("building (npm run build)");
  const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const { openStore } = await import("@infermark/store");
const { frontierOf, frontiers } = await import("@infermark/core");
const { loadCatalogFigures, startUiServer } = await import("@infermark/cli");
const { requireWebApp } = await import("@infermark/web");
// the dashboard prices GPUs as `infermark ui` does: with INFERMARK_CATALOG's override when it is set; a bad file
// stops here, before the sweep
let catalog;
try {
  catalog = await loadCatalogFigures();
} catch (error) {
  say(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

/** Opens the store, or stops with its one-line reason (not a stack trace): a file that is not a store, an empty --db. */
const open = async () => {
  try {
    return await openStore(args.db);
  } catch (error) {
    say(`cannot open the store: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
};

// 2. the quickstart sweep, unless its results are stored
const SPEC = "examples/quickstart.yaml";
const OUT = "results/quickstart";
let store = await open();
// the quickstart's points: DeepSeek-R1 served by the built-in simulator (framework "sim")
const simulated = await store.queryPoints({ model: ["dsr1"], framework: ["sim"] });
await store.close();
if (simulated.length > 0 && !args.fresh) {
  say(
    `reusing ${simulated.length} stored simulated points in ${store.location} (npm start -- --fresh measures again)`,
  );
} else {
  say(`running the quickstart sweep on the simulator: infermark sweep ${SPEC} (a minute or two)`);
  const t0 = Date.now();
  // the sweep stores its points itself (--db); --force measures again points that already have results
  const sweep = cli([
    "sweep",
    SPEC,
    "--output-dir",
    OUT,
    "--db",
    args.db,
    ...(args.fresh ? ["--force"] : []),
  ]);
  if (sweep.status === 0) {
    say(`sweep done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  } else {
    // exit 1 is also a sweep whose points were measured but some came out invalid (listed above, and stored)
    say(
      `the sweep exited ${sweep.status}: points failed or came out invalid (listed above); going on with what it stored and the public data`,
    );
  }
}

// 3. the public InferenceX snapshot (idempotent: stored rows are left as they are)
say("importing the public InferenceX snapshot (examples/data/inferencex)");
const imp = cli(
  [
    "import",
    "inferencex",
    "examples/data/inferencex/benchmarks.json",
    "examples/data/inferencex/benchmarks-history.json",
    "--db",
    args.db,
  ],
  { stdio: ["ignore", "ignore", "inherit"] },
);
if (imp.status !== 0) say(`the import failed (exit ${imp.status})`);

// 4. summary: each group's best throughput per GPU and its interactivity range (latest points), both from the
// frontier of the group's valid points: an invalid point (client saturated, over 5% errors) measured nothing to
// claim as a best
store = await open();
const latest = (await store.queryPoints({ latest: true })).map((r) => r.point);
const summaries = frontiers(latest).map((g) => {
  const valid = g.items.filter((p) => p.validity.valid);
  return { g, invalid: g.items.length - valid.length, f: frontierOf(valid).points };
});
const bestOf = (f) => Math.max(...f.map((p) => p.y));
summaries.sort(
  (a, b) =>
    (a.g.dims.source ?? "").localeCompare(b.g.dims.source ?? "") ||
    Math.max(0, bestOf(b.f)) - Math.max(0, bestOf(a.f)),
);
const bySource = new Map();
for (const p of latest) bySource.set(p.run.source, (bySource.get(p.run.source) ?? 0) + 1);
const invalid = latest.filter((p) => !p.validity.valid).length;
const own = summaries.filter((s) => s.g.items.some((p) => p.run.source !== "imported"));
const shown = [...own, ...summaries.filter((s) => !own.includes(s)).slice(0, 12)];
const rows = shown.map(({ g, invalid, f }) => {
  const best = bestOf(f);
  return [
    g.label,
    g.items[0]?.run.source ?? "",
    String(g.items.length),
    String(invalid),
    Number.isFinite(best) ? best.toFixed(0) : "-",
    f.length ? `${f[0].x.toFixed(0)}-${f[f.length - 1].x.toFixed(0)}` : "-",
  ];
});
const header = ["group", "source", "points", "invalid", "best tput/GPU", "intvty range"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) =>
  cells
    .map((c, i) => (i === 0 || i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
    .join("  ");
console.log();
console.log(
  `${latest.length} latest points (${[...bySource].map(([s, n]) => `${n} ${s}`).join(", ")}; ${invalid} invalid) in ${summaries.length} groups; showing own groups and the top public ones`,
);
console.log("best tput/GPU and intvty range: the frontier of each group's valid points only");
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows) console.log(line(r));
console.log();

// 5. the dashboard
if (!args.serve || args["no-serve"]) {
  await store.close();
  process.exit(0);
}
let ui;
try {
  ui = await startUiServer({
    store,
    appDir: requireWebApp(),
    host: args.host,
    port: Number(args.port),
    catalog,
  });
} catch (error) {
  if (error?.code !== "EADDRINUSE") throw error;
  say(`port ${args.port} is busy; picking a free one`);
  ui = await startUiServer({ store, appDir: requireWebApp(), host: args.host, port: 0, catalog });
}
say(`dashboard: ${ui.url}  (Ctrl-C stops)`);
const stop = async () => {
  await ui.close();
  await store.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
