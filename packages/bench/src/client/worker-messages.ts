import type { ClientHealth } from "@infermark/core";
import type { TransportKind } from "./http-client.js";
import type { PackedOutcome } from "./outcome-codec.js";
import type { RequestInput } from "./request-tracker.js";

/** What a client worker thread is started with. */
export interface WorkerInit {
  /** The main thread's `monotonicOffsetMs()`. */
  mainOffsetMs: number;
  /** The HTTP client the worker sends with. */
  transport: TransportKind;
}

/** Messages from the main thread to a client worker. */
export type ToWorker =
  | { type: "send"; id: number; input: RequestInput }
  | { type: "cancel"; id: number }
  | { type: "monitor-start" }
  | { type: "monitor-stop"; id: number }
  | { type: "close" };

/** Messages from a client worker to the main thread. */
export type FromWorker =
  | { type: "ready" }
  | { type: "outcome"; id: number; outcome: PackedOutcome }
  | { type: "health"; id: number; health: ThreadHealth };

/** A client thread's health over a level, with its event-loop utilization (0-1; undefined over less than 1 s). */
export interface ThreadHealth extends ClientHealth {
  utilization?: number;
}
