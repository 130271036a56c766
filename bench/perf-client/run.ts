// `npm run perf:client`: how accurately, and at what scale, infermark's client stamps SSE events.
//
// A scripted SSE server runs in a child process (scripted-sse-server.ts: raw sockets, pre-rendered
// events, one timer for all streams) and writes one-token events on a fixed schedule, each with
// its write time on the system-wide monotonic clock. The client is infermark's real transport
// (native HTTP/1.1 over node:net by default, or undici with --transport undici; a stamp as the
// first thing each read does, deferred parsing), on the main thread (--workers 0) or on N client
// worker threads. Timing error = client stamp - server write
// time. The server's own lateness (write time - scheduled time) is reported beside it: a late
// server delays events without making the client's stamps wrong.
//
// Flags: --workers N (default: available cores - 1, at least 1; 0 = main thread)
//        --transport native|undici (default native)
//        --seconds S (measured seconds per level, default 5; each stream also runs --warmup-s first)
//        --warmup-s S (default 1: events of each stream's first S seconds are left out)
//        --levels 1,256,1024,4096 (streams at 50 events/s each)
//        --sweep-streams N --rates 100,200,400 (the event-rate sweep; stops at the first p99 miss)
//        --json FILE (also write every row as JSON)
import { fork } from "node:child_process";
import { writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import type { TransportKind } from "@infermark/bench";
import { type Client, runShare, type ShareResult, startClient } from "./client-worker.js";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ""), process.argv[i + 1]!);
const list = (s: string) => s.split(",").filter(Boolean).map(Number);
const workers = Number(args.get("workers") ?? Math.max(1, availableParallelism() - 1));
const transport = (args.get("transport") ?? "native") as TransportKind;
if (transport !== "native" && transport !== "undici") {
  throw new Error(`--transport expects native or undici, got "${transport}"`);
}
const seconds = Number(args.get("seconds") ?? 5);
const warmupS = Number(args.get("warmup-s") ?? 1);
const levels = list(args.get("levels") ?? "1,256,1024,4096");
const sweepStreams = Number(args.get("sweep-streams") ?? 1024);
const rates = list(args.get("rates") ?? "100,200,400");
const jsonFile = args.get("json");
const TARGET_P99_MS = 1;

interface Row {
  streams: number;
  rate: number;
  targetEventsPerS: number;
  eventsKept: number;
  /** Warm-up events and those after the first stream ended. */
  eventsOutside: number;
  /** CPU time (user + system, all threads) per event received: client process, server process. */
  clientCpuUsPerEvent: number;
  serverCpuUsPerEvent: number;
  eventsPerS: number;
  errorMs: { p50: number; p99: number; max: number };
  serverLagMs: { p50: number; p99: number; max: number };
  clientLoopDelayP99Ms: number;
  /** Highest busy share (0-1) of a stamping thread's event loop; near 1 = reads queue up. */
  clientLoopUtilization: number;
  failed: number;
  failures: string[];
  load1: number;
}

// from source the server runs under tsx; bundled (plain .js, e.g. to run on a machine without the
// repository's node_modules) it sits next to this file as scripted-sse-server.js
const fromSource = import.meta.url.endsWith(".ts");
const child = fork(
  new URL(`./scripted-sse-server.${fromSource ? "ts" : "js"}`, import.meta.url).pathname,
  [],
  { execArgv: fromSource ? ["--import", "tsx"] : [] },
);
const nextMessage = <T>(type: string) =>
  new Promise<T>((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type !== type) return;
      child.off("message", on);
      resolve(m as T);
    };
    child.on("message", on);
  });
const { port } = await nextMessage<{ port: number }>("listening");
const origin = `http://127.0.0.1:${port}`;
const client: Client = await startClient(workers, transport);

async function measure(streams: number, rate: number): Promise<Row> {
  const skip = Math.round(rate * warmupS);
  const cpu0 = process.cpuUsage();
  const r: ShareResult = await runShare(client, {
    origin,
    streams,
    events: skip + Math.max(2, Math.round(rate * seconds)),
    rate,
    skip,
    // connections open during this allowance; every stream's schedule then starts together
    setupMs: 500 + streams,
  });
  const cpu = process.cpuUsage(cpu0);
  child.send({ type: "stats" });
  const { lag } = await nextMessage<{
    lag: { p50: number; p99: number; max: number; cpuUsPerEvent: number };
  }>("stats");
  const e = r.errorsMs;
  const windowS = (r.lastServerT - r.firstServerT) / 1000;
  return {
    streams,
    rate,
    targetEventsPerS: streams * rate,
    eventsKept: e.length,
    eventsOutside: r.outside,
    clientCpuUsPerEvent: (cpu.user + cpu.system) / Math.max(1, e.length + r.outside),
    serverCpuUsPerEvent: lag.cpuUsPerEvent,
    eventsPerS: windowS > 0 ? Math.round(e.length / windowS) : 0,
    errorMs: { p50: pct(e, 50), p99: pct(e, 99), max: e.at(-1) ?? Number.NaN },
    serverLagMs: { p50: lag.p50, p99: lag.p99, max: lag.max },
    clientLoopDelayP99Ms: r.health.eventLoopDelayP99Ms ?? Number.NaN,
    clientLoopUtilization: r.utilization,
    failed: r.failed,
    failures: r.failures,
    load1: loadavg()[0]!,
  };
}

const pct = (s: Float64Array, q: number) =>
  s[Math.min(s.length - 1, Math.floor((q / 100) * (s.length - 1)))] ?? Number.NaN;
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "-");
const rows: Row[] = [];
/** A stamping thread busier than this share of the row: its reads may wait in the kernel (said in the verdict). */
const BUSY_UTILIZATION = 0.7;
const HEADER =
  "streams ev/s/strm target ev/s    kept     ev/s | err p50  err p99  err max | srv p50  srv p99  srv max | loop p99  elu | cpu us/ev cli srv | failed load1 verdict";
function print(r: Row): void {
  rows.push(r);
  const verdict =
    (r.failed > 0 ? "FAILED STREAMS" : r.errorMs.p99 < TARGET_P99_MS ? "p99<1ms" : "p99>=1ms") +
    (r.clientLoopUtilization > BUSY_UTILIZATION ? " client busy" : "");
  console.log(
    `${pad(r.streams, 7)} ${pad(r.rate, 9)} ${pad(r.targetEventsPerS, 11)} ${pad(r.eventsKept, 7)} ${pad(r.eventsPerS, 8)} | ${pad(f3(r.errorMs.p50), 7)}  ${pad(f3(r.errorMs.p99), 7)}  ${pad(f3(r.errorMs.max), 7)} | ${pad(f3(r.serverLagMs.p50), 7)}  ${pad(f3(r.serverLagMs.p99), 7)}  ${pad(f3(r.serverLagMs.max), 7)} | ${pad(f3(r.clientLoopDelayP99Ms), 8)} ${pad(r.clientLoopUtilization.toFixed(2), 4)} | ${pad(r.clientCpuUsPerEvent.toFixed(1), 13)} ${pad(r.serverCpuUsPerEvent.toFixed(1), 3)} | ${pad(r.failed, 6)} ${pad(r.load1.toFixed(1), 5)} ${verdict}`,
  );
  for (const f of r.failures) console.log(`        failure: ${f}`);
}
const pad = (x: unknown, n: number) => String(x).padStart(n);

const [l1, l5, l15] = loadavg();
console.log(
  `infermark perf:client — node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? "?"}), load average ${l1!.toFixed(2)} ${l5!.toFixed(2)} ${l15!.toFixed(2)} at start`,
);
console.log(
  `client: ${transport} transport, ${workers > 0 ? `${workers} worker thread(s)` : "main thread"}; server: child process; ${seconds} s measured per row after ${warmupS} s warm-up per stream`,
);
console.log(
  [
    "columns: err = client stamp - server write time (ms: the client's timing error)",
    "  srv = server write time - scheduled time (ms: the server's own lateness; it delays events but is",
    "    not client error)",
    "  loop p99 = worst event-loop delay p99 of the client threads (ms)",
    "  elu = highest event-loop utilization of a thread that stamps reads (busy share; near 1 = reads",
    "    queue in the kernel and stamps are late; rows with elu > 0.7 are marked 'client busy')",
    "  kept = events in the measured window (every stream live: after each stream's warm-up, before",
    "    the first stream ends); ev/s = kept / window length",
    "  cpu us/ev = CPU time (user + system, all threads) per event of the client (cli) and server (srv)",
    "    processes; load1 = 1-minute load average after the row",
    "targets: p99 < 1 ms at 1,024 streams x 50 ev/s; 4,096 streams from one process; >= 100,000 ev/s",
    "  per process with p99 < 1 ms",
  ].join("\n"),
);
console.log(HEADER);
for (const streams of levels) print(await measure(streams, 50));
if (rates.length > 0) {
  console.log(`event-rate sweep at ${sweepStreams} streams (stops at the first p99 miss):`);
  console.log(HEADER);
  for (const rate of rates) {
    const r = await measure(sweepStreams, rate);
    print(r);
    if (!(r.errorMs.p99 < TARGET_P99_MS) || r.failed > 0) break;
  }
}
await client.close();
child.kill();

const ok = rows.filter((r) => r.failed === 0 && r.errorMs.p99 < TARGET_P99_MS);
const best = ok.reduce<Row | undefined>(
  (b, r) => (!b || r.eventsPerS > b.eventsPerS ? r : b),
  undefined,
);
const at1024 = rows.find((r) => r.streams === 1024 && r.rate === 50);
const at4096 = rows.find((r) => r.streams === 4096);
console.log("summary:");
console.log(
  `  4,096 concurrent streams: ${at4096 ? (at4096.failed === 0 ? "held (all completed)" : `${at4096.failed} failed`) : "not run"}`,
);
console.log(
  `  error p99 at 1,024 streams x 50 ev/s: ${at1024 ? `${f3(at1024.errorMs.p99)} ms (${at1024.errorMs.p99 < TARGET_P99_MS ? "met" : "missed"})` : "not run"}`,
);
console.log(
  `  highest rate with p99 < 1 ms: ${best ? `${best.eventsPerS} ev/s (${best.streams} streams x ${best.rate} ev/s) — target 100,000 ${best.eventsPerS >= 100_000 ? "met" : "missed"}` : "none"}`,
);
if (jsonFile) {
  writeFileSync(
    jsonFile,
    JSON.stringify(
      {
        node: process.version,
        cores: availableParallelism(),
        transport,
        workers,
        seconds,
        warmupS,
        rows,
      },
      null,
      2,
    ),
  );
}
