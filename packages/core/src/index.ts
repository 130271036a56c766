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
export {
  InfermarkError,
  UnknownKeyError,
  ValidationError,
  type ValidationIssue,
} from "./errors.js";
export {
  fromInferencexApiRow,
  type RowMapping,
  readFlatMetrics,
  readFlatStats,
} from "./inferencex/api-row.js";
export {
  normalizeFramework,
  normalizeHardware,
  normalizeImage,
  normalizePrecision,
  toBool,
} from "./inferencex/normalize.js";
export {
  type AggregateOptions,
  type Aggregation,
  aggregatePoint,
  DEFAULT_MAX_ERROR_RATE,
  outputTokenCount,
  type RequestTiming,
  requestTiming,
  type Slo,
} from "./metrics/aggregate.js";
export { type BuildPointInput, buildPointResult, simpleTopology } from "./metrics/build-point.js";
export { type InferencexRow, toInferencexRow } from "./metrics/inferencex-row.js";
export { mapStats, percentileSorted, summarize } from "./metrics/stats.js";
export { pointSummary, type SummaryRow } from "./metrics/summary.js";
export * from "./schemas/common.js";
export { configurationKey, levelKey, stableStringify } from "./schemas/config-key.js";
export { generateJsonSchemas, JSON_SCHEMA_FILES } from "./schemas/json-schemas.js";
export { dayOf, matchesFilter, PointFilter } from "./schemas/point-filter.js";
export * from "./schemas/point-result.js";
export * from "./schemas/request-record.js";
export * from "./schemas/sweep-spec.js";
export * from "./schemas/validate.js";
