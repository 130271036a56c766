// `npm run perf:client`: how accurately and at what scale infermark's client stamps SSE events.
// A scripted server in a child process writes one-token events on a fixed schedule with its write
// time on the system-wide monotonic clock; the client's error is its stamp minus that time.
// Flags: --workers N (client worker threads; 0 = main thread), --seconds S (per level),
// --levels 1,256,1024,4096, --rates 50,100,200,400 (per-stream events/s for the throughput sweep).
import { fork } from "node:child_process";
import { cpus } from "node:os";
import { Worker } from "node:worker_threads";
import { runShare, type WorkerJob, type WorkerResult } from "./client-worker.js";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ""), process.argv[i + 1]!);
const workers = Number(args.get("workers") ?? 0);
const seconds = Number(args.get("seconds") ?? 3);
const levels = (args.get("levels") ?? "1,256,1024,4096").split(",").map(Number);
const sweepStreams = Number(args.get("sweep-streams") ?? 1024);
const rates = (args.get("rates") ?? "100,200").split(",").map(Number);

const child = fork(new URL("./scripted-sse-server.ts", import.meta.url).pathname, [], {
  execArgv: ["--import", "tsx"],
});
const port = await new Promise<number>((resolve) =>
  child.once("message", (m) => resolve((m as { port: number }).port)),
);
const origin = `http://127.0.0.1:${port}`;

async function measure(
  streams: number,
  rate: number,
): Promise<{ errors: Float64Array; failed: number; wallS: number }> {
  const events = Math.max(2, Math.round(rate * (seconds + WARMUP_S)));
  const shares = workers > 0 ? split(streams, workers) : [streams];
  const t0 = performance.now();
  const results: WorkerResult[] = await Promise.all(
    shares.map((n) => {
      const job: WorkerJob = {
        origin,
        streams: n,
        events,
        rate,
        skip: Math.round(rate * WARMUP_S),
      };
      if (workers === 0) return runShare(job);
      return new Promise<WorkerResult>((resolve, reject) => {
        // workers do not inherit tsx's loader: register it, then load the TypeScript worker
        const entry = new URL("./client-worker.ts", import.meta.url).href;
        const w = new Worker(
          `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`,
          { eval: true, workerData: job },
        );
        w.once("message", resolve);
        w.once("error", reject);
      });
    }),
  );
  const wallS = (performance.now() - t0) / 1000;
  const total = results.reduce((s, r) => s + r.errorsMs.length, 0);
  const errors = new Float64Array(total);
  let at = 0;
  for (const r of results) {
    errors.set(r.errorsMs, at);
    at += r.errorsMs.length;
  }
  return { errors: errors.sort(), failed: results.reduce((s, r) => s + r.failed, 0), wallS };
}

/** Seconds at the start of each stream whose events are left out. */
const WARMUP_S = 0.5;
const split = (n: number, k: number) =>
  Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0)).filter((x) => x > 0);
const pct = (s: Float64Array, q: number) =>
  s[Math.min(s.length - 1, Math.floor((q / 100) * (s.length - 1)))] ?? Number.NaN;
const fmt = (x: number) => x.toFixed(3);

console.log(
  `infermark perf:client  node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), client workers: ${workers || "main thread"}, ${seconds} s per level`,
);
console.log("streams  ev/s/stream  events   ev/s(achieved)  p50 ms  p99 ms  max ms  failed");
const row = (streams: number, rate: number, r: Awaited<ReturnType<typeof measure>>) =>
  console.log(
    `${String(streams).padStart(7)}  ${String(rate).padStart(11)}  ${String(r.errors.length).padStart(7)}  ${String(Math.round(r.errors.length / r.wallS)).padStart(14)}  ${fmt(pct(r.errors, 50)).padStart(6)}  ${fmt(pct(r.errors, 99)).padStart(6)}  ${fmt(r.errors.at(-1) ?? Number.NaN).padStart(6)}  ${r.failed}`,
  );
for (const streams of levels) row(streams, 50, await measure(streams, 50));
console.log(`throughput sweep at ${sweepStreams} streams:`);
for (const rate of rates) row(sweepStreams, rate, await measure(sweepStreams, rate));
child.kill();
