import { basicAuthorization } from "../run/request-authorization.js";
import { shownUrl } from "../shown-url.js";
import { type NodeSpread, nodeSample } from "./node-spread.js";
import { type GpuReading, type NodesPoll, PollingSampler } from "./polling-sampler.js";
import { parsePrometheusText } from "./prometheus-text.js";
import { TelemetryError } from "./telemetry-error.js";
import type { PowerSampler, PowerSamplerOptions } from "./types.js";

/** dcgm-exporter's default address. */
export const DEFAULT_DCGM_URL = "http://localhost:9400/metrics";
/** dcgm-exporter refreshes its fields every 30 s by default (`-c`); set it to the interval when sampling. */
export const DEFAULT_DCGM_INTERVAL_MS = 1000;

/** Reads `DCGM_FI_DEV_POWER_USAGE{gpu="0",...} 123.4` lines (W) from a dcgm-exporter scrape. */
export function parseDcgmPower(text: string): GpuReading[] {
  return parsePrometheusText(text)
    .filter((s) => s.name === "DCGM_FI_DEV_POWER_USAGE" && s.labels.gpu !== undefined)
    .map((s) => ({ gpu: Number(s.labels.gpu), watts: s.value }))
    .filter((r) => Number.isInteger(r.gpu) && Number.isFinite(r.watts));
}

/**
 * GETs an exporter's `url`; a user and password in it (an exporter behind a proxy that asks for them) go as
 * `Authorization: Basic`, as curl sends them (fetch refuses a URL that holds them, and says so with the URL). Throws
 * what fetch throws.
 * @example const res = await getExporter("http://me:pw@gpu-1:9400/metrics", 1000);
 */
export async function getExporter(url: string, timeoutMs: number): Promise<Response> {
  const target = new URL(url);
  const authorization = basicAuthorization(target);
  target.username = "";
  target.password = "";
  return fetch(target, {
    headers: authorization ? { authorization } : {},
    signal: AbortSignal.timeout(timeoutMs),
  });
}

/** One scrape of a dcgm-exporter: every GPU's power; throws when it does not answer or has no power field. */
async function scrapeDcgm(url: string): Promise<GpuReading[]> {
  const response = await getExporter(url, 5000);
  if (!response.ok) throw new TelemetryError(`${shownUrl(url)} answered HTTP ${response.status}`);
  const readings = parseDcgmPower(await response.text());
  if (readings.length === 0)
    throw new TelemetryError(`${shownUrl(url)} has no DCGM_FI_DEV_POWER_USAGE`);
  return readings;
}

/**
 * `url` with its host replaced by `host`, the scheme, port and path kept: the same exporter on another node.
 * @example urlOnHost("http://localhost:9400/metrics", "gpu-node-2") // "http://gpu-node-2:9400/metrics"
 */
function urlOnHost(url: string, host: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new TelemetryError(`dcgm: "${shownUrl(url)}" is not a URL`, { cause: error });
  }
  parsed.hostname = host;
  // the setter ignores a host it cannot take, which would scrape the first node once for each node
  if (parsed.hostname !== host.toLowerCase())
    throw new TelemetryError(
      `dcgm: cannot scrape node "${host}": not a host name for ${shownUrl(url)}`,
    );
  return parsed.href;
}

/**
 * Scrapes every node's exporter at once (`urls[k]` is node k's); a node that does not answer, or has no power
 * field, is missing from the poll with its error, and the others' readings are kept.
 */
async function scrapeNodes(urls: readonly string[]): Promise<NodesPoll> {
  const scrapes = await Promise.allSettled(urls.map(scrapeDcgm));
  const readings: GpuReading[] = [];
  const missing = new Map<number, string>();
  scrapes.forEach((scrape, node) => {
    if (scrape.status === "fulfilled")
      readings.push(...scrape.value.map((r) => nodeSample(node, r)));
    else {
      const e = scrape.reason as Error & { cause?: Error };
      // fetch says only "fetch failed"; its cause says why (connect ECONNREFUSED 10.0.0.2:9400)
      missing.set(
        node,
        e.cause?.message ? `${shownUrl(urls[node]!)}: ${e.cause.message}` : e.message,
      );
    }
  });
  return { readings, missing };
}

/**
 * Samples GPU power by scraping a DCGM exporter's `/metrics` every interval. With `spread.hosts` (a server on
 * several nodes of a job, an exporter on each), it scrapes `url` on each node, the host replaced by the node's name
 * (scheme, port and path kept), all at once each poll, the GPUs numbered across the nodes as nvidia-smi's are
 * (`numberAcrossNodes`: on 8-GPU nodes, node 1's GPU 0 is 8); `start` waits for a reading of every node and fails
 * naming the nodes that gave none (see `PollingSampler`). Without hosts it reads `url` alone.
 * @example const s = dcgmSampler({ url: "http://node:9400/metrics" })
 */
export function dcgmSampler(
  options: PowerSamplerOptions & { url?: string; spread?: NodeSpread } = {},
): PowerSampler {
  const url = options.url ?? DEFAULT_DCGM_URL;
  const intervalMs = options.intervalMs ?? DEFAULT_DCGM_INTERVAL_MS;
  const hosts = options.spread?.hosts;
  if (hosts && hosts.length > 0) {
    const urls = hosts.map((host) => urlOnHost(url, host));
    return new PollingSampler("dcgm", intervalMs, () => scrapeNodes(urls), options.gpus, {
      nodes: urls.length,
      gpusPerNode: options.spread?.gpusPerNode,
    });
  }
  return new PollingSampler("dcgm", intervalMs, () => scrapeDcgm(url), options.gpus);
}
