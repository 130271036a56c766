import { setTimeout as sleep } from "node:timers/promises";
import { ANY_VERSION_PROBES, fetchServerVersion } from "@infermark/bench";
import type { SweepSpec } from "@infermark/core";
import { describeExit, logTail, type ServerProcess } from "./server-process.js";
import { ServerFailure, ServerInterrupted } from "./sweep-error.js";
import { INTERRUPTED_REASON } from "./types.js";

/** What a ready server told about itself. */
export interface ReadyInfo {
  /** Served model names from `/v1/models`. */
  models: string[];
  /** The `/v1/models` body, for engines that report more there (the simulator's speed). */
  modelsBody: unknown;
  /** Engine version from any backend's version endpoint (`ANY_VERSION_PROBES`), when the server gives one. */
  frameworkVersion?: string;
  /** Seconds from launch to ready. */
  readyS: number;
}

async function get(
  url: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  headers: Record<string, string>,
): Promise<{ status: number; body: string } | undefined> {
  try {
    const timeout = AbortSignal.timeout(timeoutMs);
    const response = await fetch(url, {
      headers,
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    });
    return { status: response.status, body: await response.text() };
  } catch {
    return undefined;
  }
}

/**
 * Waits until a server answers its health path with 2xx and `/v1/models` with a model list, polling every
 * `intervalS` up to `timeoutS`. Fails at once when the server process exits; a failure carries the log tail.
 * `signal` (Ctrl-C) stops the wait at once with a ServerInterrupted: an engine may load for half an hour. `headers` go
 * with every request, as the load generator's (`serverHeaders`: vLLM's `--api-key` guards `/v1/models` too).
 * @example await waitReady("http://127.0.0.1:8000", spec.readiness, server)
 */
export async function waitReady(
  baseUrl: string,
  readiness: SweepSpec["readiness"],
  server?: ServerProcess,
  signal?: AbortSignal,
  headers: Record<string, string> = {},
): Promise<ReadyInfo> {
  const start = performance.now();
  const deadline = start + readiness.timeoutS * 1000;
  const tail = async () => (server ? logTail(server.logPath) : "");
  const pollMs = Math.min(5000, readiness.intervalS * 1000 * 5);
  let last = "no answer";
  const interrupted = () => new ServerInterrupted(INTERRUPTED_REASON);
  for (;;) {
    if (signal?.aborted) throw interrupted();
    if (server?.exit) {
      throw new ServerFailure(
        `server exited before it was ready (${describeExit(server.exit)})`,
        await tail(),
      );
    }
    const health = await get(baseUrl + readiness.path, pollMs, signal, headers);
    last = health
      ? `${readiness.path} answered HTTP ${health.status}`
      : `${readiness.path}: no answer`;
    if (health && health.status >= 200 && health.status < 300) {
      const models = await get(baseUrl + readiness.modelsPath, pollMs, signal, headers);
      last = models
        ? `${readiness.modelsPath} answered HTTP ${models.status}`
        : `${readiness.modelsPath}: no answer`;
      if (models && models.status >= 200 && models.status < 300) {
        const parsed = parseModels(models.body);
        if (parsed) {
          return {
            models: parsed.ids,
            modelsBody: parsed.body,
            ...(await frameworkVersion(baseUrl, headers)),
            readyS: (performance.now() - start) / 1000,
          };
        }
        last = `${readiness.modelsPath} returned no model list`;
      }
    }
    if (performance.now() >= deadline) {
      throw new ServerFailure(
        `server not ready after ${readiness.timeoutS} s (last: ${last})`,
        await tail(),
      );
    }
    if (signal?.aborted) throw interrupted();
    await sleep(readiness.intervalS * 1000, undefined, signal ? { signal } : {}).catch(() => {});
  }
}

function parseModels(body: string): { ids: string[]; body: unknown } | undefined {
  try {
    const json = JSON.parse(body) as { data?: { id?: unknown }[] };
    if (!Array.isArray(json.data) || json.data.length === 0) return undefined;
    return { ids: json.data.map((m) => String(m.id)), body: json };
  } catch {
    return undefined;
  }
}

/**
 * The engine version the server gives, wherever an engine gives it (vLLM and trtllm-serve `/version`, SGLang
 * `/get_server_info`, llama.cpp `/props`, Ollama `/api/version`: `ANY_VERSION_PROBES`).
 */
async function frameworkVersion(
  baseUrl: string,
  headers: Record<string, string>,
): Promise<{ frameworkVersion?: string }> {
  const version = await fetchServerVersion(baseUrl, ANY_VERSION_PROBES, headers);
  return version === undefined ? {} : { frameworkVersion: version };
}
