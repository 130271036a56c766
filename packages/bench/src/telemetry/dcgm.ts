import { type GpuReading, PollingSampler } from "./polling-sampler.js";
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
 * Samples GPU power by scraping a DCGM exporter's `/metrics` every interval.
 * @example const s = dcgmSampler({ url: "http://node:9400/metrics" })
 */
export function dcgmSampler(options: PowerSamplerOptions & { url?: string } = {}): PowerSampler {
  const url = options.url ?? DEFAULT_DCGM_URL;
  return new PollingSampler(
    "dcgm",
    options.intervalMs ?? DEFAULT_DCGM_INTERVAL_MS,
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new TelemetryError(`dcgm: ${url} answered HTTP ${response.status}`);
      const readings = parseDcgmPower(await response.text());
      if (readings.length === 0)
        throw new TelemetryError(`dcgm: ${url} has no DCGM_FI_DEV_POWER_USAGE`);
      return readings;
    },
    options.gpus,
  );
}
