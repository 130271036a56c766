// `npm run perf:client-floor`: what the machine itself allows, before any HTTP client's work.
//
// The same scripted SSE server as `perf:client` (a child process), read by the barest Node.js client
// there is: one `node:net` socket per stream reading through `onread` into one shared buffer, with
// no HTTP parsing, no SSE scanning and no JSON. Each read is stamped first; the error of the read's
// last event is that stamp minus the server's `infermark_server_t` found in the bytes. The CPU time
// per read and the error percentiles are the floor that infermark's transport (run.ts) is measured
// against: on a machine where even this client is late, no client written for Node.js can meet
// the accuracy targets there.
//
// Flags: --levels 1,256,1024 (streams) --rate 50 (events/s per stream) --seconds 3 --warmup-s 1
import { fork } from "node:child_process";
import { connect } from "node:net";
import { availableParallelism, cpus, loadavg } from "node:os";
import { monotonicOffsetMs } from "../../packages/bench/src/clock.js";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ""), process.argv[i + 1]!);
const levels = (args.get("levels") ?? "1,256,1024").split(",").map(Number);
const rate = Number(args.get("rate") ?? 50);
const seconds = Number(args.get("seconds") ?? 3);
const warmupS = Number(args.get("warmup-s") ?? 1);

const fromSource = import.meta.url.endsWith(".ts");
const child = fork(
  new URL(`./scripted-sse-server.${fromSource ? "ts" : "js"}`, import.meta.url).pathname,
  [],
  { execArgv: fromSource ? ["--import", "tsx"] : [] },
);
const port = await new Promise<number>((resolve) =>
  child.on("message", (m: { type: string; port?: number }) => {
    if (m.type === "listening") resolve(m.port!);
  }),
);
const OFFSET = monotonicOffsetMs();
const STAMP = Buffer.from('"infermark_server_t":');
const DONE = Buffer.from("[DONE]");
const buffer = Buffer.alloc(64 * 1024);

interface Row {
  streams: number;
  reads: number;
  cpuUsPerRead: number;
  errorMs: { p50: number; p99: number; max: number };
}

async function measure(streams: number): Promise<Row> {
  const events = Math.round(rate * (warmupS + seconds));
  const startAt = performance.now() + OFFSET + 500 + streams;
  const body = JSON.stringify({ max_tokens: events, perf_rate: rate, perf_start_at: startAt });
  const request = `POST /v1/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const errors: number[] = [];
  // measured window: after the warm-up, before the first stream can end
  const from = startAt + warmupS * 1000;
  const to = startAt + (warmupS + seconds - 0.2) * 1000;
  let reads = 0;
  let cpu0: NodeJS.CpuUsage | undefined;
  let cpu: NodeJS.CpuUsage | undefined;
  await new Promise<void>((resolve) => {
    let done = 0;
    for (let i = 0; i < streams; i++) {
      const socket = connect({
        port,
        host: "127.0.0.1",
        onread: {
          buffer,
          callback: (n: number) => {
            const t = performance.now() + OFFSET;
            const at = buffer.lastIndexOf(STAMP, n - 1);
            if (at >= 0 && at + STAMP.length < n) {
              const server = Number.parseFloat(
                buffer.toString("latin1", at + STAMP.length, Math.min(n, at + STAMP.length + 24)),
              );
              if (server >= from && server <= to) {
                if (!cpu0) cpu0 = process.cpuUsage();
                errors.push(t - server);
                reads++;
              } else if (server > to && cpu0 && !cpu) cpu = process.cpuUsage(cpu0);
            }
            const tail = buffer.subarray(Math.max(0, n - 64), n);
            if (tail.includes(DONE)) {
              socket.end();
              if (++done === streams) resolve();
            }
            return true;
          },
        },
      });
      socket.setNoDelay(true);
      socket.on("connect", () => socket.write(request));
    }
  });
  cpu ??= process.cpuUsage(cpu0);
  errors.sort((a, b) => a - b);
  const pct = (q: number) =>
    errors[Math.min(errors.length - 1, Math.floor(q * (errors.length - 1)))]!;
  return {
    streams,
    reads,
    cpuUsPerRead: (cpu.user + cpu.system) / Math.max(1, reads),
    errorMs: { p50: pct(0.5), p99: pct(0.99), max: errors.at(-1)! },
  };
}

console.log(
  `infermark perf:client-floor — node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? "?"}), load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(
      " ",
    )} at start; bare node:net client (no HTTP, SSE or JSON work), ${rate} events/s per stream, ${seconds} s measured`,
);
console.log(
  "err = read stamp - server write time of the read's last event (ms); cpu = the client process's CPU per read\nstreams    reads | err p50  err p99  err max | cpu us/read",
);
for (const streams of levels) {
  const r = await measure(streams);
  const f = (x: number) => x.toFixed(3).padStart(7);
  console.log(
    `${String(r.streams).padStart(7)} ${String(r.reads).padStart(8)} | ${f(r.errorMs.p50)}  ${f(r.errorMs.p99)}  ${f(r.errorMs.max)} | ${r.cpuUsPerRead.toFixed(1).padStart(11)}`,
  );
}
child.kill();
