/**
 * Memory and time of one large level after it ran: its request records as the load generator keeps them (events
 * packed in an EventLog per request, read as objects through `withEvents`), then `aggregatePoint`, then (with
 * `--write`) `writeJsonLines` of the records to a temporary file. The default is a level of InferenceX's 1k/8k
 * workload at concurrency 1,024 (10 x concurrency requests): 10,240 requests of 8,192 one-token events, 84 million.
 * Prints the peak RSS and the heap in use at each stage, and each stage's wall time.
 * `--objects` keeps every event as an object instead, as the load generator did before 2026-11-28.
 * Run: npm run perf:level-memory [-- --requests 10240 --events 8192 --write --objects]
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventLog, withEvents, writeJsonLines } from "@infermark/bench";
import { aggregatePoint, type RequestRecord } from "@infermark/core";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const requests = arg("requests", 10_240);
const events = arg("events", 8192);
const write = process.argv.includes("--write");
// the records as they were kept before the EventLog: every event an object
const objects = process.argv.includes("--objects");

const mb = (bytes: number) => Math.round(bytes / 1e6);
const stage = (name: string, t0: number) => {
  const m = process.memoryUsage();
  console.log(
    JSON.stringify({
      stage: name,
      wallS: Number(((performance.now() - t0) / 1000).toFixed(1)),
      heapUsedMB: mb(m.heapUsed),
      arrayBuffersMB: mb(m.arrayBuffers),
      rssMB: mb(m.rss),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
};

console.log(
  JSON.stringify({ bench: "level memory", node: process.version, requests, events, objects }),
);
let t0 = performance.now();
const records: RequestRecord[] = [];
for (let r = 0; r < requests; r++) {
  // a closed loop of 1,024 streams: request r starts when r - 1,024 ended; 25 ms between tokens, 1 s to the first
  const tSend = Math.floor(r / 1024) * (1000 + events * 25);
  const log = new EventLog();
  log.push(tSend + 5, "role");
  for (let i = 0; i < events; i++) log.push(tSend + 1000 + i * 25 + (i % 7) * 0.01, "content", 1);
  log.push(tSend + 1000 + events * 25, "usage");
  log.push(tSend + 1000 + events * 25, "done");
  const base = { index: r, warmup: false, tSched: tSend, tSend, tEnd: tSend + 1000 + events * 25 };
  const fields = {
    ...base,
    promptTokens: 1024,
    outputTokens: events,
    outputTokensSource: "usage" as const,
  };
  records.push(objects ? { ...fields, events: log.toArray() } : withEvents(fields, log.compact()));
}
stage("records built", t0);

t0 = performance.now();
const { metrics, validity } = aggregatePoint(records, { gpus: { total: 8 } });
stage("aggregated", t0);
if (
  !validity.valid ||
  metrics.completed !== requests ||
  metrics.itl?.count !== requests * (events - 1)
)
  throw new Error(`unexpected aggregation: ${JSON.stringify({ validity, metrics })}`);

if (write) {
  const dir = await mkdtemp(join(tmpdir(), "infermark-level-memory-"));
  try {
    t0 = performance.now();
    const path = join(dir, "requests.jsonl");
    await writeJsonLines(path, records);
    stage(`written (${mb((await stat(path)).size)} MB of JSONL)`, t0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
