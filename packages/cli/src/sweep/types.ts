import type { PowerChoice } from "@infermark/bench";
import type { ProcessMark } from "./process-identity.js";

/** Where sweeps run. */
export const EXECUTORS = ["local", "slurm", "github"] as const;
export type ExecutorKind = (typeof EXECUTORS)[number];

/** Slurm settings from flags; each overrides the spec's `executor.slurm`. */
export interface SlurmFlags {
  partition?: string;
  account?: string;
  /** Nodes per job. */
  nodes?: number;
  gpusPerNode?: number;
  time?: string;
  directives?: string[];
  /**
   * Follow the jobs until they end, then gather their points. Without it (`--no-wait`) the sweep submits (or finds
   * recorded) every configuration's job and returns their points as `queued`; a later sweep of the folder follows
   * the jobs still queued or running and gathers and ingests every result. @default true
   */
  wait?: boolean;
}

/** What a user passes to `runSweep`; every field is optional. */
export interface SweepOptions {
  /** @default "local" */
  executor?: ExecutorKind;
  /** Where PointResults, failure records and server logs go. @default "results/<spec name>" */
  outputDir?: string;
  /** Store URL to ingest into (SQLite path or postgres:// URL). @default the store's default (INFERMARK_DB) */
  db?: string;
  /** Ingest finished points into the store. @default true */
  ingest?: boolean;
  /** @default the spec's `power` */
  power?: PowerChoice;
  /** The dcgm-exporter URL. @default INFERMARK_DCGM_URL, else the spec's `dcgmUrl`, else DEFAULT_DCGM_URL */
  dcgmUrl?: string;
  /** Keep each point's request records beside its result and store them with it. @default the spec's saveRequests, else false */
  saveRequests?: boolean;
  /** Re-measure points that already have a result. @default false */
  force?: boolean;
  /**
   * Re-measure the points whose result in the output folder is invalid (over 5% errors, client saturated, server
   * ignored max_tokens); without it they are kept, as valid ones are, and counted apart. @default false
   */
  retryInvalid?: boolean;
  /** Only these server configurations (keys or names). @default all */
  servers?: string[];
  /** How to run infermark itself (simulator child processes, Slurm jobs). @default this process's command */
  selfCommand?: string[];
  /**
   * Stops the sweep (Ctrl-C): the local executor after the point in progress; the Slurm executor submits no more
   * jobs and cancels those it owns at once, points in progress included.
   */
  signal?: AbortSignal;
  /** Progress callback (the CLI prints these). */
  onEvent?: (event: SweepEvent) => void;
  /** Slurm settings from flags. */
  slurm?: SlurmFlags;
  /** GitHub executor: where to write the workflow. @default the spec's executor.github.workflow */
  workflowPath?: string;
  /** GitHub executor: the spec path as the workflow refers to it. @default the spec path given */
  specPathInRepo?: string;
  /** Working folder for relative paths and server commands. @default process.cwd() */
  cwd?: string;
}

/** A step of a sweep, for progress output. */
export type SweepEvent =
  | { kind: "warning"; message: string }
  | { kind: "server-start"; server: string; command?: string }
  | { kind: "server-ready"; server: string; readyS: number; frameworkVersion?: string }
  | { kind: "server-stop"; server: string }
  /** A server an earlier sweep in the output folder left running (it was killed), stopped before anything starts. */
  | { kind: "server-recovered"; server: string; pid: number; port?: number; killed: boolean }
  /** The server's `/metrics` could not be read (said once per server configuration; each point records why). */
  | { kind: "server-metrics-error"; server: string; reason: string }
  | { kind: "point-start"; point: string }
  | { kind: "point-done"; point: string; path: string; summary: string }
  /** `invalid`: the kept result is invalid, and why (its validity reasons). */
  | { kind: "point-skipped"; point: string; path: string; invalid?: string }
  | { kind: "point-failed"; point: string; reason: string }
  | { kind: "job-submitted"; server: string; jobId: string }
  /** A job an earlier sweep in the output folder submitted, still pending or running: followed, not submitted again. */
  | {
      kind: "job-followed";
      server: string;
      jobId: string;
      state: string;
      submitted: string;
      /** The sweep that submitted it, when it still runs (or runs on another host): the job stays its to cancel. */
      submitter?: ProcessMark;
    }
  /** Another sweep is submitting this configuration's job into the output folder now: waited for, then followed. */
  | { kind: "job-wait"; server: string; pid: number; host: string; since: string }
  /**
   * A followed job's state changed, or, while it is queued, why it waits (`reason`, `squeue %r`: `Priority`,
   * `Resources`, `QOSMaxJobsPerUserLimit`; absent when Slurm gives none, and once the job has ended).
   */
  | { kind: "job-state"; server: string; jobId: string; state: string; reason?: string }
  | { kind: "ingested"; inserted: number; unchanged: number; db: string }
  | { kind: "workflow-written"; path: string };

/**
 * The reason of a point the sweep was stopped (Ctrl-C) before: a `failed` outcome that is no failure of the point
 * (the local executor writes no failure record for it; the next run measures it).
 */
export const INTERRUPTED_REASON = "interrupted before it started";

/** What happened to one point. */
export interface PointOutcome {
  name: string;
  fingerprint: string;
  server: string;
  /** `queued`: in a Slurm job that a sweep with `wait: false` left to run (`jobId`). */
  status: "done" | "skipped" | "failed" | "queued";
  /** The PointResult file (done, skipped) or the failure record (failed). */
  path?: string;
  /** Done or skipped: whether the PointResult is valid (`validity.valid`). */
  valid?: boolean;
  /** Failed: why. Done or skipped and invalid: the result's validity reasons, joined by `; `. */
  reason?: string;
  /** The Slurm job measuring it (queued). */
  jobId?: string;
}

/** How many points of a sweep ended which way (`countOutcomes`). */
export interface SweepCounts {
  /** Measured by this run (`done`), invalid ones included. */
  measured: number;
  /** Measured by this run and invalid: each makes the run not `ok`. */
  invalid: number;
  /** Kept from an earlier run (`skipped`), invalid ones included. */
  alreadyMeasured: number;
  /** Kept from an earlier run although invalid (see `SweepOptions.retryInvalid`). */
  alreadyMeasuredInvalid: number;
  /** Failed, with a reason (not counting `stopped`). */
  failed: number;
  /** Not measured because the sweep was stopped (Ctrl-C) before them: the next run measures them. */
  stopped: number;
  /** In Slurm jobs left to run (`wait: false`). */
  queued: number;
}

/**
 * The result of a sweep: one outcome per point, and their counts; `ok` when none failed and none measured by this
 * run is invalid.
 */
export interface SweepResult {
  executor: ExecutorKind;
  outputDir: string;
  points: PointOutcome[];
  counts: SweepCounts;
  ok: boolean;
  /** GitHub executor: the workflow written. */
  workflowPath?: string;
  /** Slurm executor: job id per server configuration name. */
  jobs?: Record<string, string>;
}
