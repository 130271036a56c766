export {
  AMD_SMI_RUN_TIMEOUT_MS,
  amdSmiSampler,
  DEFAULT_AMD_SMI_INTERVAL_MS,
  parseAmdSmiMetricJson,
} from "./amd-smi.js";
export { DEFAULT_DCGM_INTERVAL_MS, DEFAULT_DCGM_URL, dcgmSampler, parseDcgmPower } from "./dcgm.js";
export {
  linesByNode,
  type NodeSpread,
  nodeSample,
  numberAcrossNodes,
  splitNodeLabel,
} from "./node-spread.js";
export {
  type NvidiaSmiReading,
  nvidiaSmiArgs,
  nvidiaSmiSampler,
  parseNvidiaSmiLine,
} from "./nvidia-smi.js";
export { type GpuReading, type NodesPoll, PollingSampler } from "./polling-sampler.js";
export {
  type CreatePowerSamplerOptions,
  createPowerSampler,
  detectPowerSampler,
  type PowerChoice,
  powerSamplerProblem,
} from "./power-sampler.js";
export { type PromSample, parsePrometheusText } from "./prometheus-text.js";
export {
  aggregateSeries,
  type SeriesAggregation,
  seriesAggregation,
} from "./series-aggregation.js";
export {
  flattenServerMetrics,
  SCRAPE_INTERVAL_GAUGES,
  scrapeServerMetrics,
  serverMetricsDelta,
} from "./server-metrics.js";
export { TelemetryError } from "./telemetry-error.js";
export {
  DEFAULT_POWER_INTERVAL_MS,
  POWER_SAMPLER_KINDS,
  type PowerSampler,
  type PowerSamplerKind,
  type PowerSamplerOptions,
} from "./types.js";
export { epochToMonotonicMs } from "./wall-clock.js";
