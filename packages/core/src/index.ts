export { AnalysisError } from "./analysis/analysis-error.js";
export {
  type AnalysisMetric,
  type Direction,
  METRIC_ALIASES,
  type MetricContext,
  resolveMetric,
  Y_METRICS,
} from "./analysis/analysis-metric.js";
export { type Comparison, type ComparisonRow, compareAt } from "./analysis/compare.js";
export {
  type CostCatalog,
  costPerMillionTokens,
  DEFAULT_PRICING,
  gpuHourlyPrice,
  type Pricing,
  pricingLabel,
  tokensPerDollar,
} from "./analysis/cost.js";
export {
  MAX_POWER_SAMPLE_GAP_MS,
  type MeasuredEnergyInput,
  measuredEnergy,
} from "./analysis/energy.js";
export { parseFilterExpression } from "./analysis/filter-expression.js";
export {
  type Frontier,
  type FrontierOptions,
  frontierOf,
  frontiers,
  type GroupFrontier,
  type ResolvedFrontierOptions,
  resolveFrontierOptions,
  valuesAt,
} from "./analysis/frontier.js";
export {
  DEFAULT_GROUP_DIMENSIONS,
  GROUP_DIMENSIONS,
  type GroupDimension,
  groupLabel,
  groupPoints,
  groupValues,
  type PointGroup,
  parseGroupBy,
  WORKLOAD_DIMENSIONS,
} from "./analysis/grouping.js";
export { bestPerGpu, type Leader, type LeaderOptions, leadersAt } from "./analysis/leaders.js";
export { grossMargin, type ProviderPrices, revenuePerGpuHour } from "./analysis/margin.js";
export {
  type Directions,
  dominates,
  type Placed,
  paretoFrontier,
} from "./analysis/pareto-frontier.js";
export { type PointSetSelection, selectPointSet } from "./analysis/point-set.js";
export {
  provisionedJoulesPerToken,
  tokensPerSecondPerMw,
} from "./analysis/provisioned-energy.js";
export { type GroupRange, interactivityRanges } from "./analysis/ranges.js";
export { softwareKey, softwareList, softwareOf, versionMatches } from "./analysis/software.js";
export {
  createSteffenInterpolant,
  type Interpolated,
  steffenInterpolate,
  steffenSlopes,
} from "./analysis/steffen.js";
export {
  type GroupTrend,
  type TrendDate,
  type TrendFactor,
  type TrendOptions,
  trend,
} from "./analysis/trend.js";
export {
  applyCatalogOverrides,
  type Catalog,
  CatalogOverrides,
  DEFAULT_CATALOG,
  getGpu,
  getModel,
  gpuHourPrice,
} from "./catalog/catalog.js";
export { GPUS, type GpuSpec, PRICE_TIERS, type PriceTier } from "./catalog/gpus.js";
export { type AttentionSpec, MODELS, type ModelSpec, type MoeSpec } from "./catalog/models.js";
export { SOURCES, type SourceRef } from "./catalog/sources.js";
export { csvCell } from "./csv-cell.js";
export {
  InfermarkError,
  UnknownKeyError,
  ValidationError,
  type ValidationIssue,
} from "./errors.js";
export { type AggRowContext, fromInferencexAggRow } from "./inferencex/agg-row.js";
export {
  fromInferencexApiRow,
  type RowMapping,
  readFlatMetrics,
  readFlatStats,
} from "./inferencex/api-row.js";
export { type DumpRowContext, fromInferencexDumpRow } from "./inferencex/dump-row.js";
export { inferencexModelKey } from "./inferencex/model-key.js";
export {
  normalizeFramework,
  normalizeHardware,
  normalizeImage,
  normalizePrecision,
  toBool,
} from "./inferencex/normalize.js";
export { totalOnBothSides } from "./inferencex/topology.js";
export { jsonError, jsonErrorAt, jsonErrorReason } from "./json-error-reason.js";
export {
  type AggregateOptions,
  type Aggregation,
  aggregatePoint,
  DEFAULT_MAX_ERROR_RATE,
  measuredWindow,
  outputTokenCount,
  type RequestTiming,
  requestTiming,
  type Slo,
} from "./metrics/aggregate.js";
export {
  type BuildPointInput,
  buildPointResult,
  simpleTopology,
  withPoolLayout,
} from "./metrics/build-point.js";
export { type InferencexRow, toInferencexRow } from "./metrics/inferencex-row.js";
export { mapStats, maxOf, minOf, percentileSorted, summarize } from "./metrics/stats.js";
export {
  energyRows,
  pointMetadata,
  pointSummary,
  pointWarnings,
  type SummaryRow,
  serverMetricRows,
} from "./metrics/summary.js";
export {
  LITTLES_LAW_TOLERANCE,
  type ThroughputConsistency,
  throughputConsistency,
} from "./metrics/throughput-consistency.js";
export * from "./plan/index.js";
export * from "./schemas/common.js";
export { configurationKey, levelKey, stableStringify } from "./schemas/config-key.js";
export { isIsoDay } from "./schemas/iso-day.js";
export { generateJsonSchemas, JSON_SCHEMA_FILES } from "./schemas/json-schemas.js";
export {
  datasetName,
  dayOf,
  matchesFilter,
  PointFilter,
  workloadKind,
  workloadMatches,
} from "./schemas/point-filter.js";
export * from "./schemas/point-result.js";
export * from "./schemas/request-record.js";
export { runInstant } from "./schemas/run-instant.js";
export { runLink } from "./schemas/run-link.js";
export { withSortedKeys } from "./schemas/sorted-keys.js";
export * from "./schemas/sweep-spec.js";
export * from "./schemas/validate.js";
export { BUILTIN_WORDS, builtinTokenize } from "./tokenizer/builtin-tokenize.js";
export {
  fromVllmBenchResult,
  isVllmBenchResult,
  type NominalLengths,
  nominalLengths,
  type VllmBenchContext,
} from "./vllm-bench/bench-result.js";
export { type DetailedStats, detailedStats, readVllmStats } from "./vllm-bench/result-stats.js";
export { UTC_OFFSET, vllmRunDate } from "./vllm-bench/run-date.js";
