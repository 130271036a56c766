// The scripted SSE server of `npm run perf:client`. It runs in its own process (its own event loop
// and, on a machine with spare cores, its own core) and is built to cost as little as possible, so
// it is not what limits the benchmark:
// - raw `net` sockets with a minimal HTTP/1.1 reader (one POST per stream, keep-alive) and chunked
//   responses: no http module, no per-event header or object work;
// - pre-rendered event text: only the write stamp is formatted per event;
// - ONE timer for the whole server: a 1 ms timing wheel holds every stream under the slot of its
//   next due event (written within about 1 ms of its due time, up to timer lateness); each tick writes to all streams that are due (several due events of one
//   stream go out in one write) and arms the timer for the next occupied slot.
// Every event carries `infermark_server_t`: the system-wide monotonic clock (CLOCK_MONOTONIC, the
// same in every process: performance.now() + this process's measured offset) read just before its
// write. The server also records its own lateness (write time minus the event's scheduled time),
// so a reader can tell server lateness from client error.
//
// Request body (JSON): {"max_tokens": events, "perf_rate": events/s, "perf_skip": events left out
// of the lateness figures (warm-up), "perf_start_at": monotonic ms at which the schedule starts}. IPC: sends {port} once listening; answers {type:"stats"}
// with {type:"stats", lag: {count, p50, p99, max} (ms), cpuUsPerEvent} and resets its figures.
import { createServer, type Socket } from "node:net";
import { monotonicOffsetMs } from "../../packages/bench/src/clock.js";

const OFFSET = monotonicOffsetMs();
const hrMs = () => performance.now() + OFFSET;

const HEAD =
  "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n" +
  "transfer-encoding: chunked\r\nconnection: keep-alive\r\n\r\n";
const EVENT_PREFIX =
  'data: {"id":"cmpl-perf","object":"text_completion","model":"perf","choices":[{"index":0,"text":"x","finish_reason":null}],"infermark_server_t":';
const LAST_PREFIX =
  'data: {"id":"cmpl-perf","object":"text_completion","model":"perf","choices":[{"index":0,"text":"x","finish_reason":"length"}],"infermark_server_t":';
const EVENT_SUFFIX = "}\n\n";
const tail = (n: number) =>
  `data: {"id":"cmpl-perf","object":"text_completion","model":"perf","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":${n}}}\n\ndata: [DONE]\n\n`;
const chunk = (s: string) => `${s.length.toString(16)}\r\n${s}\r\n`;

interface Stream {
  socket: Socket;
  events: number;
  periodMs: number;
  /** Scheduled time of event 0 (hr ms). */
  start: number;
  sent: number;
  skip: number;
}

// ---- lateness figures (write time minus scheduled time), reset by each stats request ----
let lag = new Float64Array(1 << 20);
let lagCount = 0;
function recordLag(ms: number): void {
  if (lagCount === lag.length) {
    const bigger = new Float64Array(lag.length * 2);
    bigger.set(lag);
    lag = bigger;
  }
  lag[lagCount++] = ms;
}

// ---- the timing wheel: slot (due time rounded up to the ms) -> streams due in it ----
const wheel = new Map<number, Stream[]>();
let timer: NodeJS.Timeout | undefined;
let armedFor = Number.POSITIVE_INFINITY;
let lastSlot = Math.floor(hrMs());
let inTick = false;

function schedule(s: Stream): void {
  // slot k is written once the clock has reached k, so a stream due at d waits in slot ceil(d)
  const due = s.start + s.sent * s.periodMs;
  const slot = Math.max(Math.ceil(due), lastSlot + 1);
  let list = wheel.get(slot);
  if (!list) {
    list = [];
    wheel.set(slot, list);
  }
  list.push(s);
  if (!inTick && slot < armedFor) arm(slot);
}

function arm(slot: number): void {
  if (timer) clearTimeout(timer);
  armedFor = slot;
  timer = setTimeout(tick, Math.max(0, slot - hrMs()));
}

function tick(): void {
  timer = undefined;
  armedFor = Number.POSITIVE_INFINITY;
  const nowSlot = Math.floor(hrMs());
  const due: Stream[][] = [];
  for (let slot = lastSlot + 1; slot <= nowSlot; slot++) {
    const list = wheel.get(slot);
    if (!list) continue;
    wheel.delete(slot);
    due.push(list);
  }
  lastSlot = nowSlot; // streams rescheduled below land after this tick's slots
  inTick = true;
  for (const list of due) for (const s of list) writeDue(s);
  inTick = false;
  let next = Number.POSITIVE_INFINITY;
  for (const slot of wheel.keys()) if (slot < next) next = slot;
  if (next < Number.POSITIVE_INFINITY) arm(next);
}

function writeDue(s: Stream): void {
  if (s.socket.destroyed) return;
  let out = "";
  const t = hrMs();
  while (s.sent < s.events && s.start + s.sent * s.periodMs <= t) {
    const stamp = hrMs();
    if (s.sent >= s.skip) recordLag(stamp - (s.start + s.sent * s.periodMs));
    s.sent++;
    eventsWritten++;
    const ev = `${s.sent === s.events ? LAST_PREFIX : EVENT_PREFIX}${stamp.toFixed(4)}${EVENT_SUFFIX}`;
    out += chunk(ev);
  }
  if (s.sent >= s.events) {
    out += `${chunk(tail(s.events))}0\r\n\r\n`;
    s.socket.write(out);
    return;
  }
  if (out) s.socket.write(out);
  schedule(s);
}

// ---- minimal HTTP/1.1 request reader (POST with content-length, keep-alive) ----
function onConnection(socket: Socket): void {
  socket.setNoDelay(true);
  let buf = "";
  socket.setEncoding("latin1");
  socket.on("data", (data: string) => {
    buf += data;
    for (;;) {
      const headEnd = buf.indexOf("\r\n\r\n");
      if (headEnd < 0) return;
      const m = /content-length:\s*(\d+)/i.exec(buf.slice(0, headEnd));
      const length = m ? Number(m[1]) : 0;
      if (buf.length < headEnd + 4 + length) return;
      const body = buf.slice(headEnd + 4, headEnd + 4 + length);
      buf = buf.slice(headEnd + 4 + length);
      start(socket, body);
    }
  });
  socket.on("error", () => {});
}

function start(socket: Socket, body: string): void {
  const req = JSON.parse(body) as {
    max_tokens: number;
    perf_rate: number;
    perf_skip?: number;
    perf_start_at?: number;
  };
  socket.write(HEAD);
  const periodMs = 1000 / req.perf_rate;
  schedule({
    socket,
    events: req.max_tokens,
    periodMs,
    // every stream of a row starts at the common time the client gave (or now, if that has passed,
    // so a slow connection starts late rather than bunching), with its own random phase
    start: Math.max(hrMs(), req.perf_start_at ?? 0) + Math.random() * periodMs,
    sent: 0,
    skip: req.perf_skip ?? 0,
  });
}

let cpuMark = process.cpuUsage();
let eventsWritten = 0;

function stats(): { count: number; p50: number; p99: number; max: number; cpuUsPerEvent: number } {
  const s = lag.subarray(0, lagCount).sort();
  const pct = (q: number) =>
    s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] ?? Number.NaN;
  const cpu = process.cpuUsage(cpuMark);
  const out = {
    count: lagCount,
    p50: pct(0.5),
    p99: pct(0.99),
    max: s.at(-1) ?? Number.NaN,
    cpuUsPerEvent: eventsWritten > 0 ? (cpu.user + cpu.system) / eventsWritten : Number.NaN,
  };
  lagCount = 0;
  eventsWritten = 0;
  cpuMark = process.cpuUsage();
  return out;
}

const server = createServer(onConnection);
// a deep accept backlog: thousands of streams connect at once
server.listen({ port: 0, host: "127.0.0.1", backlog: 8192 }, () => {
  const address = server.address();
  process.send?.({ type: "listening", port: typeof address === "object" ? address?.port : 0 });
});
process.on("message", (m: { type: string }) => {
  if (m.type === "stats") process.send?.({ type: "stats", lag: stats() });
});
process.on("disconnect", () => process.exit(0));
