import type { PointConfig, Topology } from "../schemas/point-result.js";
import type { Scenario, ServerRecipe, SweepSpec } from "../schemas/sweep-spec.js";
import type { TemplateVars } from "./render-template.js";

/** One server configuration: one server start, measured at each of its concurrency levels. */
export interface PlannedServer {
  /** Fingerprint of everything that defines the server configuration (16 hex digits). */
  key: string;
  /** Stable, file-name-safe name, e.g. `dsr1-h200-vllm-fp8-tp8-1k1k`. */
  name: string;
  hardware: string;
  scenario: Scenario;
  topology: Topology;
  specDecoding: PointConfig["specDecoding"];
  /** Values for the recipe's `{{placeholders}}` (without `port` and `host`, which the runtime adds). */
  vars: TemplateVars;
  recipe: ServerRecipe;
  /** The file a dataset scenario reads, as the planner was told of it. */
  dataset?: ScenarioDataset;
  /** The command the recipe renders to with its default port, for display; absent for the simulator. */
  command?: string;
  points: PlannedPoint[];
}

/** One measured point: a server configuration at one load level (a concurrency, or a trace's speedup). */
export interface PlannedPoint {
  /** Stable name, e.g. `dsr1-h200-vllm-fp8-tp8-1k1k-c64`, or `...-trace-agent-x2` for a trace's speedup. */
  name: string;
  /** Hash of everything that defines the point; a result with this fingerprint makes the point done. */
  fingerprint: string;
  serverKey: string;
  serverName: string;
  /** The closed-loop concurrency; for a trace point, its scenario's `maxConcurrency` cap (none: uncapped). */
  concurrency?: number;
  /** A trace point's speedup: its timestamps are divided by it. */
  speedup?: number;
  /** Measured requests at this level. */
  requests: number;
  warmupRequests: number;
  /** The PointResult configuration, less what only the run knows (framework version). */
  config: PointConfig;
}

/** A search-space combination left out, with the reason. */
export interface SkippedCombination {
  hardware: string;
  description: string;
  reason: string;
}

/** A sweep spec expanded into server configurations and points. */
export interface SweepPlan {
  name: string;
  /** Fingerprint of the whole (parsed) spec. */
  specFingerprint: string;
  spec: SweepSpec;
  servers: PlannedServer[];
  points: PlannedPoint[];
  skipped: SkippedCombination[];
}

/**
 * What the planner knows of a dataset scenario's file. Core reads no files: the caller (the CLI) reads and
 * measures the file with the load generator's own parsing before planning.
 */
export interface ScenarioDataset {
  /** Where the load generator reads the file (resolved from the spec file's folder). */
  path: string;
  /** SHA-256 of the file's bytes (hex), part of the points' fingerprints: a changed file is a new point. */
  sha256: string;
  /** Requests the file holds: its usable entries (sharegpt, jsonl), conversations (multi-turn), or records (trace). */
  requests: number;
  /** multi-turn: the most user turns of one conversation (at most the scenario's `turns`). */
  turns?: number;
  /** Tokens of the longest request, prompt and output (for multi-turn, a conversation's last turn). */
  longest: number;
  /** Mean input tokens per request (per user turn for multi-turn; for a trace, of the records its points replay). */
  isl: number;
  /** Mean output tokens asked per request (per reply for multi-turn; for a trace, as isl). */
  osl: number;
  /** trace: tokens per hash id, as the file was read (the scenario's blockSize, else the load generator's default). */
  blockSize?: number;
  /** trace: ms from the first record's timestamp to the last's, as recorded (speedup 1). */
  spanMs?: number;
}

/** What planning needs besides the spec. */
export interface PlanOptions {
  /** The dataset of each scenario that reads one, by the scenario's index in `spec.scenarios`. */
  datasets?: readonly (ScenarioDataset | undefined)[];
  /**
   * The most points the plan may hold; a larger search space is refused with a PlanError saying how many it holds.
   * @default DEFAULT_MAX_PLAN_POINTS (10,000)
   */
  maxPoints?: number;
}
