// One client share of the benchmark: opens `streams` streaming requests with infermark's real
// request path (undici dispatch, per-read stamps, SSE parser, recorder) and returns, for every
// token event, client stamp minus server write time on the shared monotonic clock.
import { parentPort, workerData } from "node:worker_threads";
import { Pool } from "undici";
import { monotonicOffsetMs, sendRequest } from "../../packages/bench/src/index.js";

export interface WorkerJob {
  origin: string;
  streams: number;
  events: number;
  rate: number;
  /** Events at the start of each stream left out (connection set-up and JIT warm-up). */
  skip: number;
}

export interface WorkerResult {
  errorsMs: Float64Array;
  failed: number;
  eventLoopNote?: string;
}

export async function runShare(job: WorkerJob): Promise<WorkerResult> {
  const pool = new Pool(job.origin, { headersTimeout: 0, bodyTimeout: 0 });
  const offset = monotonicOffsetMs();
  const body = JSON.stringify({
    model: "perf",
    prompt: "x",
    max_tokens: job.events,
    perf_rate: job.rate,
    stream: true,
  });
  const outcomes = await Promise.all(
    Array.from(
      { length: job.streams },
      () =>
        sendRequest({
          dispatcher: pool,
          origin: job.origin,
          path: "/v1/completions",
          headers: { "content-type": "application/json" },
          body,
          stream: true,
          timeoutMs: 120_000,
          secrets: [],
        }).outcome,
    ),
  );
  await pool.destroy();
  const kept: number[] = [];
  let failed = 0;
  for (const o of outcomes) {
    if (o.failure) failed++;
    let seen = 0;
    for (const e of o.events) {
      if (e.serverT === undefined || seen++ < job.skip) continue;
      kept.push(e.t + offset - e.serverT);
    }
  }
  return { errorsMs: Float64Array.from(kept), failed };
}

if (parentPort && workerData) {
  const result = await runShare(workerData as WorkerJob);
  parentPort.postMessage(result, [result.errorsMs.buffer as ArrayBuffer]);
}
