import { Worker } from "node:worker_threads";
import { monotonicOffsetMs, now } from "../clock.js";
import { BenchOptionError } from "../errors.js";
import type { TransportKind } from "./http-client.js";
import { unpackOutcome } from "./outcome-codec.js";
import type { InFlightRequest, RequestInput, SendOutcome } from "./request-tracker.js";
import type { FromWorker, ThreadHealth, ToWorker, WorkerInit } from "./worker-messages.js";

interface Slot {
  worker: Worker;
  inFlight: Map<number, (o: SendOutcome) => void>;
  health: Map<number, (h: ThreadHealth) => void>;
}

/**
 * Client worker threads: each has its own event loop and HTTP client, so thousands of streams
 * are stamped on several cores. `send` hands a request to the worker with the fewest requests in
 * flight; the outcome comes back with every time on this thread's clock (all threads read the
 * same monotonic clock; the offset between their `performance.now()` origins is measured at
 * start), so RequestRecords are identical in format to the main-thread path.
 * @example
 * const t = await WorkerTransport.start(3); // native transport; start(3, "undici") for undici
 * const { outcome } = t.send({ origin, path, headers, body, stream: true, timeoutMs, secrets: [] });
 * await t.close();
 */
export class WorkerTransport {
  private nextId = 1;

  private constructor(private readonly slots: Slot[]) {}

  /** Starts `count` worker threads sending through `transport` and waits until each is ready. */
  static async start(count: number, transport: TransportKind = "native"): Promise<WorkerTransport> {
    if (!Number.isInteger(count) || count < 1) {
      throw new BenchOptionError(`workers must be a positive integer, got ${count}`);
    }
    const init: WorkerInit = { mainOffsetMs: monotonicOffsetMs(), transport };
    const slots = await Promise.all(
      Array.from({ length: count }, async () => {
        const worker = spawnWorker(init);
        const slot: Slot = { worker, inFlight: new Map(), health: new Map() };
        await new Promise<void>((resolve, reject) => {
          const onError = (e: Error) => reject(e);
          worker.once("error", onError);
          worker.once("message", (m: FromWorker) => {
            worker.off("error", onError);
            if (m.type === "ready") resolve();
            else reject(new Error(`client worker said ${m.type} before ready`));
          });
        });
        worker.on("message", (m: FromWorker) => {
          if (m.type === "outcome") {
            const done = slot.inFlight.get(m.id);
            slot.inFlight.delete(m.id);
            done?.(unpackOutcome(m.outcome));
          } else if (m.type === "health") {
            slot.health.get(m.id)?.(m.health);
            slot.health.delete(m.id);
          }
        });
        worker.on("error", (e) => failAll(slot, e));
        worker.on("exit", () => failAll(slot, new Error("client worker exited")));
        return slot;
      }),
    );
    return new WorkerTransport(slots);
  }

  /** Number of worker threads. */
  get size(): number {
    return this.slots.length;
  }

  /** Hands one request to the least-busy worker. */
  send(input: RequestInput): InFlightRequest {
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.inFlight.size < slot.inFlight.size) slot = s;
    const id = this.nextId++;
    const tSend = now();
    const outcome = new Promise<SendOutcome>((resolve) => slot.inFlight.set(id, resolve));
    post(slot, { type: "send", id, input });
    return {
      tSend,
      outcome,
      cancel: () => post(slot, { type: "cancel", id }),
    };
  }

  /** Starts event-loop delay watching in every worker. */
  monitorStart(): void {
    for (const s of this.slots) post(s, { type: "monitor-start" });
  }

  /** Stops watching and returns each worker's health. */
  monitorStop(): Promise<ThreadHealth[]> {
    return Promise.all(
      this.slots.map((s) => {
        const id = this.nextId++;
        return new Promise<ThreadHealth>((resolve) => {
          s.health.set(id, resolve);
          post(s, { type: "monitor-stop", id });
        });
      }),
    );
  }

  /** Cancels what is in flight and stops the workers. */
  async close(): Promise<void> {
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.worker.once("exit", () => resolve());
            post(s, { type: "close" });
            setTimeout(() => void s.worker.terminate(), 5000).unref();
          }),
      ),
    );
  }
}

function post(slot: Slot, m: ToWorker): void {
  slot.worker.postMessage(m);
}

function failAll(slot: Slot, error: Error): void {
  for (const [id, done] of slot.inFlight) {
    slot.inFlight.delete(id);
    done({
      tSend: now(),
      tEnd: now(),
      events: [],
      usage: {},
      text: "",
      failure: { category: "cancelled", message: `client worker failed: ${error.message}` },
    });
  }
  for (const [id, done] of slot.health) {
    slot.health.delete(id);
    done({ saturated: false });
  }
}

/**
 * Starts one worker. From built code the worker is `client-worker.js` next to this file; run from
 * source (`.ts`, under tsx or vitest) the worker registers tsx first and resolves workspace
 * packages to their sources, like its parent.
 */
function spawnWorker(init: WorkerInit): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) {
    return new Worker(new URL("./client-worker.js", here), { workerData: init });
  }
  const entry = new URL("./client-worker.ts", here).href;
  // Resolved from this module: an eval'd worker resolves bare names from the working folder, which
  // need not be inside the repository.
  const tsxApi = import.meta.resolve("tsx/esm/api");
  return new Worker(
    `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`,
    {
      eval: true,
      workerData: init,
      execArgv: [...process.execArgv, "--conditions=infermark-source"],
    },
  );
}
