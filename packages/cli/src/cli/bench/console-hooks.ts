import { basename } from "node:path";
import type { LevelPlan } from "@infermark/bench";
import { pointSummary, pointWarnings } from "@infermark/core";
import type { BenchCommandHooks } from "../../commands/bench.js";
import { renderSummary } from "../output.js";
import { traceLines } from "../trace-lines.js";
import { turnTable } from "../turn-table.js";
import { log } from "./log.js";

/**
 * The run's hooks that tell the user how it goes: on stderr each level's start, its progress (one line redrawn on a
 * terminal, else a line every 10 s), the time scale, why the server's metrics could not be read (once), where an
 * earlier run's records beside a level's point went, and whether the level is valid; on stdout each level's summary,
 * unless `json` (the results are printed together at the end).
 * @example await benchCommand(options, { ...consoleHooks(false) })
 */
export function consoleHooks(
  json: boolean | undefined,
): Pick<
  BenchCommandHooks,
  | "onLevelStart"
  | "onProgress"
  | "onTimeScale"
  | "onServerVersion"
  | "onLevel"
  | "onWaitReady"
  | "onServerMetricsError"
  | "onStaleRequests"
> {
  const tty = process.stderr.isTTY === true;
  let lastLog = 0;
  let lastWaitLog = Number.NEGATIVE_INFINITY;
  return {
    // the first wait, then a line every 15 s: why the server is not ready, and for how long it has been waited for
    onWaitReady: ({ waitedS, reason }) => {
      if (waitedS - lastWaitLog < 15) return;
      lastWaitLog = waitedS;
      log(`infermark: waiting for the server (${reason}); ${waitedS.toFixed(0)} s so far`);
    },
    onLevelStart: (label, plan) => {
      lastLog = 0;
      log(levelStartLine(label, plan));
    },
    onProgress: (label, p) => {
      const line = `[${label}] done ${p.done}  in flight ${p.inFlight}  errors ${p.errors}  ${p.tokensPerS.toFixed(0)} tok/s  ${p.elapsedS.toFixed(1)} s`;
      if (tty) process.stderr.write(`\r\x1b[2K${line}`);
      else if (p.elapsedS - lastLog >= 10) {
        lastLog = p.elapsedS;
        log(line);
      }
    },
    onTimeScale: (factor, reported) =>
      log(
        reported
          ? `infermark: the server is infermark's simulator at speed ${factor}: times are multiplied by ${factor} to the simulated engine's own (--time-scale 1 keeps wall-clock times)`
          : `infermark: times are multiplied by ${factor} (--time-scale)`,
      ),
    onServerVersion: (version) =>
      log(`infermark: the server gives its version as ${version} (recorded as frameworkVersion)`),
    // once a run: each point without them records why (extra.serverMetricsError)
    onServerMetricsError: (label, reason) => {
      if (tty) process.stderr.write("\r\x1b[2K");
      log(
        `infermark: warning: [${label}] no server metrics: ${reason} (said once; each point without them records why in extra.serverMetricsError; --no-server-metrics stops reading them)`,
      );
    },
    onStaleRequests: (label, requests, setAside) =>
      log(
        `infermark: [${label}] ${basename(requests)} held an earlier run's records, not this point's (this run saves none: --save-requests): renamed to ${basename(setAside)}, which ingest does not read`,
      ),
    onLevel: (level) => {
      if (tty) process.stderr.write("\r\x1b[2K");
      const p = level.point;
      const warnings = pointWarnings(p).map((w) => `; warning: ${w}`);
      log(
        `[${level.label}] ${p.validity.valid ? "valid" : `INVALID: ${p.validity.reasons.join("; ")}`}${warnings.join("")}`,
      );
      if (!json)
        console.log(
          `${renderSummary(level.label, pointSummary(p))}\n${turnTable(p)}${traceLines(p)}`,
        );
    },
  };
}

/**
 * The line a level starts with: its bound (measured requests or seconds) and its warm-up.
 * @example levelStartLine("c4", { mode: "concurrency", requests: 40, warmup: 8 }) // "[c4] start: 40 requests after 8 warm-up"
 */
export function levelStartLine(label: string, plan: LevelPlan): string {
  const bound =
    plan.requests !== undefined
      ? `${plan.requests} request${plan.requests === 1 ? "" : "s"}`
      : `${plan.durationS} s`;
  return `[${label}] start: ${bound} after ${plan.warmup} warm-up`;
}
