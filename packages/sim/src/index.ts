export { calibrationKey } from "./config/calibration-key.js";
export {
  commFitApplies,
  DEFAULT_DRAFT_ACCEPTANCE,
  DEFAULT_EFFICIENCY,
  DEFAULT_ENGINE,
  DEFAULT_FRAMEWORK,
  defaultAcceptanceLength,
  type EfficiencyFactors,
  type EngineLimits,
  FP8_FALLBACK_GEMM_SHARE,
  fp8GemmApplies,
  ISOLATED_GPU_LIMITS,
  modelEfficiency,
  onPlatform,
  PHYSICAL_COMM_EFFICIENCY,
  PLATFORM_STEP_SCALE,
  platformApplies,
  platformEfficiency,
  platformStepScale,
} from "./config/defaults.js";
export {
  defaultMaxRunningRequests,
  type KvMemoryRule,
  kvMemoryRule,
  memoryFractionMeaning,
} from "./config/engine-memory.js";
export {
  FP8_GEMMS,
  type Fp8Gemm,
  KV_DTYPES,
  type KvDtype,
  type PoolOptions,
  type ResolvedPool,
  type ResolvedSimConfig,
  SIM_PRECISIONS,
  type SimOptions,
  type SimPrecision,
  type SpecOptions,
} from "./config/options.js";
export { checkEfficiencyFactors, resolveSimConfig } from "./config/resolve.js";
export { EngineSim } from "./engine/engine.js";
export { blockHashes, PrefixCache } from "./engine/prefix-cache.js";
export { seededRandom } from "./engine/rng.js";
export { runWorkload, type WorkloadOptions } from "./engine/run-workload.js";
export type {
  EngineCounters,
  EngineEvent,
  EngineRequest,
  RequestTimeline,
} from "./engine/types.js";
export {
  DoesNotFitError,
  SimConfigError,
  SimSpecMethodError,
  SimUnknownKeyError,
} from "./errors.js";
export { type ExplainTerm, type Explanation, explainStep } from "./explain.js";
export { parseGpuSpec } from "./model/gpu-spec.js";
export { parseHfConfig } from "./model/hf-config.js";
export { loadGpu, loadModel } from "./model/load-model.js";
export { expectedDistinctExperts } from "./perf/experts.js";
export { assertFits } from "./perf/fit-check.js";
export { kvTransferSeconds } from "./perf/kv-transfer.js";
export { type ModelShape, modelShape, mtpLayerParams } from "./perf/model-shape.js";
export {
  chunkPairs,
  prefillCapacity,
  type SteadyStatePoint,
  steadyState,
} from "./perf/steady-state.js";
export { type BatchShape, type StepCosts, stepCosts } from "./perf/step-time.js";
export { type WorkerModel, weightBytes, workerModel } from "./perf/worker-model.js";
export {
  DEFAULT_MAX_EVENTS,
  type PredictOptions,
  type PredictResult,
  predictSweep,
  simPointConfig,
  simulatorSettings,
  timelinesToRecords,
} from "./predict.js";
export {
  enumerateLayouts,
  type Layout,
  type LayoutSpace,
  tpSizes,
  workerShapes,
} from "./search/enumerate-layouts.js";
export {
  DEFAULT_SEARCH_TOP,
  layoutCurve,
  type RankedLayout,
  type SearchOptions,
  type SearchResult,
  type SearchTargetResult,
  type SkippedLayout,
  searchLayouts,
} from "./search/search-layouts.js";
export { prometheusText } from "./serve/prometheus.js";
export {
  createSimServer,
  DEFAULT_CHAT_MAX_TOKENS,
  DEFAULT_COMPLETION_MAX_TOKENS,
  type SimServeOptions,
  type SimServer,
} from "./serve/server.js";
export { SERVER_STAMP_FIELD, SERVER_TIMESTAMPS_HEADER } from "./serve/server-timestamps.js";
export { generatedWords, SIM_TOKENIZER, SIM_WORDS, simTokenize } from "./serve/tokenizer.js";
export {
  type CalibrationResult,
  calibrate,
  isHoldout,
  onPlatforms,
  type UnfittedPair,
} from "./validate/calibrate.js";
export { type CurvePoint, throughputAtInteractivity } from "./validate/frontier-at.js";
export { inferencexMtpDraftTokens, type MtpRecipeKey } from "./validate/inferencex-mtp.js";
export { readValidationFiles } from "./validate/read-files.js";
export {
  ASSUMED_INFERENCEX_RANGE_RATIO,
  ASSUMED_MTP_DRAFT_TOKENS,
  caseFromInferencexRow,
  caseFromPointResult,
  isInferencexApiRow,
  type SkippedRow,
  type ValidationCase,
} from "./validate/read-rows.js";
export {
  type CaseResult,
  type GroupError,
  median,
  type ValidateCasesOptions,
  type ValidationReport,
  validateCases,
} from "./validate/validate.js";
