// Entry of a client worker thread (started by WorkerTransport): sends the requests the main thread
// hands it through its own HTTP client (native or undici connection pools), stamps every read on
// its own event loop, and posts each outcome back, its times moved onto the main thread's clock.
import { parentPort, workerData } from "node:worker_threads";
import { monotonicOffsetMs } from "../clock.js";
import { ClientMonitor } from "../health/client-monitor.js";
import { createHttpClient } from "./http-client.js";
import { outcomeTransfer, packOutcome } from "./outcome-codec.js";
import type { InFlightRequest } from "./request-tracker.js";
import type { ThreadHealth, ToWorker, WorkerInit } from "./worker-messages.js";

const port = parentPort;
if (port) {
  const init = workerData as WorkerInit;
  // this thread's now() + shift = the main thread's now(): both read the same monotonic clock
  const shift = monotonicOffsetMs() - init.mainOffsetMs;
  const client = createHttpClient(init.transport);
  const inFlight = new Map<number, InFlightRequest>();
  let monitor: ClientMonitor | undefined;
  port.on("message", (m: ToWorker) => {
    switch (m.type) {
      case "send": {
        const request = client.send(m.input);
        inFlight.set(m.id, request);
        void request.outcome.then((o) => {
          inFlight.delete(m.id);
          const packed = packOutcome(o, shift);
          port.postMessage({ type: "outcome", id: m.id, outcome: packed }, outcomeTransfer(packed));
        });
        break;
      }
      case "cancel":
        inFlight.get(m.id)?.cancel();
        break;
      case "monitor-start":
        monitor = new ClientMonitor();
        monitor.start();
        break;
      case "monitor-stop": {
        const health: ThreadHealth = monitor
          ? { ...monitor.stop(), utilization: monitor.utilization }
          : { saturated: false };
        monitor = undefined;
        port.postMessage({ type: "health", id: m.id, health });
        break;
      }
      case "close":
        for (const r of inFlight.values()) r.cancel();
        void client.close().then(() => port.close());
        break;
    }
  });
  port.postMessage({ type: "ready" });
}
