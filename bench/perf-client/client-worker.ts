// The client side of `npm run perf:client`: opens `streams` streaming requests at once through
// infermark's real transport (the main thread's own HTTP client, native or undici, or the
// WorkerTransport's client worker threads: per-read stamps, deferred parsing, RequestRecord-shaped
// outcomes) and turns
// every kept token event into a timing error: client stamp minus the server's write stamp, both on
// the system-wide monotonic clock.

import {
  ClientMonitor,
  createHttpClient,
  type InFlightRequest,
  monotonicOffsetMs,
  type RequestInput,
  type ThreadHealth,
  type TransportKind,
  WorkerTransport,
} from "@infermark/bench";
import type { ClientHealth } from "@infermark/core";

export interface ShareJob {
  origin: string;
  streams: number;
  /** Events per stream. */
  events: number;
  /** Events per second per stream. */
  rate: number;
  /** Events at the start of each stream left out (connection set-up, JIT warm-up). */
  skip: number;
  /** Time given to open every connection before the common schedule starts (ms). */
  setupMs: number;
}

export interface ShareResult {
  /** Client stamp minus server write time (ms), sorted. */
  errorsMs: Float64Array;
  /** Events left out: warm-up, and after the first stream ended. */
  outside: number;
  /** The measured window (ms, monotonic): every stream live, warm-up over. */
  firstServerT: number;
  lastServerT: number;
  failed: number;
  failures: string[];
  /** Event-loop delay of every client thread (the worst counts). */
  health: ClientHealth;
  /** Highest event-loop utilization (busy share, 0-1) of the threads that stamp reads. */
  utilization: number;
}

/** The transport of a benchmark run: the main thread, or N client worker threads. */
export interface Client {
  workers: number;
  send(input: RequestInput): InFlightRequest;
  monitorStart(): void;
  monitorStop(): Promise<ThreadHealth[]>;
  close(): Promise<void>;
}

export async function startClient(workers: number, transport: TransportKind): Promise<Client> {
  if (workers > 0) {
    const t = await WorkerTransport.start(workers, transport);
    return {
      workers,
      send: (input) => t.send(input),
      monitorStart: () => t.monitorStart(),
      monitorStop: () => t.monitorStop(),
      close: () => t.close(),
    };
  }
  const http = createHttpClient(transport);
  return {
    workers: 0,
    send: (input) => http.send(input),
    monitorStart: () => {},
    monitorStop: async () => [],
    close: () => http.close(),
  };
}

export async function runShare(client: Client, job: ShareJob): Promise<ShareResult> {
  const offset = monotonicOffsetMs();
  const body = JSON.stringify({
    model: "perf",
    prompt: "x",
    max_tokens: job.events,
    perf_rate: job.rate,
    perf_skip: job.skip,
    perf_start_at: performance.now() + offset + job.setupMs,
    stream: true,
  });
  const monitor = new ClientMonitor();
  monitor.start();
  client.monitorStart();
  const outcomes = await Promise.all(
    Array.from(
      { length: job.streams },
      () =>
        client.send({
          origin: job.origin,
          path: "/v1/completions",
          headers: { "content-type": "application/json" },
          body,
          stream: true,
          timeoutMs: 300_000,
          secrets: [],
        }).outcome,
    ),
  );
  const health = monitor.stop();
  const threads = await client.monitorStop();
  // the stamping threads: the workers, or this thread
  const utilization =
    (threads.length > 0
      ? Math.max(...threads.map((t) => t.utilization ?? 0))
      : monitor.utilization) ?? 0;
  for (const w of threads) {
    health.eventLoopDelayP99Ms = Math.max(
      health.eventLoopDelayP99Ms ?? 0,
      w.eventLoopDelayP99Ms ?? 0,
    );
    health.eventLoopDelayMaxMs = Math.max(
      health.eventLoopDelayMaxMs ?? 0,
      w.eventLoopDelayMaxMs ?? 0,
    );
  }
  // the measured window: while every stream is live (after each one's warm-up events, before the
  // first one ends); streams ending together would otherwise measure their own wind-down
  let windowStart = Number.NEGATIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;
  let n = 0;
  let failed = 0;
  const failures = new Set<string>();
  for (const o of outcomes) {
    if (o.failure) {
      failed++;
      failures.add(`${o.failure.category}: ${o.failure.message}`);
    }
    const stamped = o.events.filter((e) => e.serverT !== undefined);
    if (stamped.length <= job.skip) continue;
    windowStart = Math.max(windowStart, stamped[job.skip]!.serverT!);
    windowEnd = Math.min(windowEnd, stamped.at(-1)!.serverT!);
    n += stamped.length;
  }
  const errors = new Float64Array(n);
  let at = 0;
  let outside = 0;
  for (const o of outcomes) {
    for (const e of o.events) {
      if (e.serverT === undefined) continue;
      if (e.serverT < windowStart || e.serverT > windowEnd) {
        outside++;
        continue;
      }
      errors[at++] = e.t + offset - e.serverT;
    }
  }
  const firstServerT = windowStart;
  const lastServerT = windowEnd;
  return {
    errorsMs: errors.subarray(0, at).sort(),
    firstServerT,
    lastServerT,
    failed,
    failures: [...failures].slice(0, 3),
    outside,
    health,
    utilization,
  };
}
