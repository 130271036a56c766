export { ANY_VERSION_PROBES, BACKENDS, getBackend } from "./backends/index.js";
export {
  type ApiKind,
  BACKEND_NAMES,
  type BackendName,
  type BackendPreset,
  type VersionProbe,
} from "./backends/types.js";
export { EventLog, eventLogOf, withEvents, withoutEvents } from "./client/event-log.js";
export {
  createHttpClient,
  type HttpClient,
  TRANSPORT_KINDS,
  type TransportKind,
} from "./client/http-client.js";
export {
  outcomeTransfer,
  type PackedOutcome,
  packOutcome,
  unpackOutcome,
} from "./client/outcome-codec.js";
export { apiPath, type RequestBodyOptions, requestBody } from "./client/request-body.js";
export {
  type InFlightRequest,
  type RequestInput,
  RequestTracker,
  type SendOutcome,
} from "./client/request-tracker.js";
export { type RequestFailure, ResponseRecorder } from "./client/response-recorder.js";
export { type NativeSendInput, sendNative } from "./client/send-native.js";
export { type SendInput, sendRequest } from "./client/send-request.js";
export { UndiciPool } from "./client/undici-pool.js";
export type { ThreadHealth } from "./client/worker-messages.js";
export { WorkerTransport } from "./client/worker-transport.js";
export { monotonicOffsetMs, now } from "./clock.js";
export {
  BenchOptionError,
  ConnectionClosedError,
  HttpProtocolError,
  PreflightError,
  TokenizerError,
  WorkloadFileError,
} from "./errors.js";
export {
  ClientMonitor,
  DEFAULT_HEALTH_BOUNDS,
  type HealthBounds,
} from "./health/client-monitor.js";
export { headerNameProblem } from "./http/header-name.js";
export type { ConnectionOwner, ExchangeSink } from "./http/native-connection.js";
export {
  type Exchange,
  NativePool,
  type NativePoolOptions,
  type NativeRequest,
} from "./http/native-pool.js";
export { requestHead } from "./http/request-head.js";
export { type ResponseEvents, ResponseParser } from "./http/response-parser.js";
export { type ArrivalKind, interArrivals } from "./load/arrivals.js";
export {
  type LevelPlan,
  type LevelProgress,
  type LevelRun,
  type RunLevelInput,
  runLevel,
  type SentRequest,
} from "./load/run-level.js";
export { redact } from "./redact.js";
export { createRng, type Rng } from "./rng.js";
export { AUTO_MAX_WORKERS, autoWorkers, STREAMS_PER_WORKER } from "./run/auto-workers.js";
export {
  BENCH_OPTION_KEYS,
  type BenchOptions,
  checkPoolLayout,
  DEFAULT_BENCH,
  type ResolvedBenchOptions,
  resolveBenchOptions,
} from "./run/bench-options.js";
export { levelLabel, levelPlan } from "./run/level-plan.js";
export {
  type CapturedTelemetry,
  type LevelTelemetry,
  serverMetricsUrl,
  withLevelTelemetry,
  withTelemetryResults,
} from "./run/level-telemetry.js";
export { oneReadReplies } from "./run/one-read-replies.js";
export { type OutputLengthSummary, outputLengthCheck } from "./run/output-length-check.js";
export { type BenchHooks, type BenchResult, type LevelResult, runBench } from "./run/run-bench.js";
export { isCredentialHeader, runSecrets } from "./run/run-secrets.js";
export {
  flagHoldsSecret,
  holdsSecret,
  isSwitchValue,
  nameWords,
  secretVariable,
} from "./run/secret-name.js";
export { fetchServerVersion } from "./run/server-version.js";
export { fetchModels, reportedSpeed, scaleRecordTimes } from "./run/time-scale.js";
export { tracePlan } from "./run/trace-options.js";
export { type TraceReport, traceReport } from "./run/trace-report.js";
export { writeJsonLines } from "./run/write-json-lines.js";
export { isSecretParameter, isTokenUser, shownUrl } from "./shown-url.js";
export {
  type ClassifiedEvent,
  classifyEvent,
  SERVER_STAMP_FIELD,
  type Usage,
} from "./sse/classify-event.js";
export { SseParser } from "./sse/sse-parser.js";
export { scanSseEvents } from "./sse/sse-scanner.js";
export * from "./telemetry/index.js";
export { BUILTIN_WORDS, builtinTokenizer } from "./tokenizer/builtin-tokenizer.js";
export {
  findTokenizerFile,
  hfHubCache,
  type TokenizerLookup,
} from "./tokenizer/find-tokenizer-file.js";
export { loadHfTokenizer } from "./tokenizer/hf-tokenizer.js";
export { checkServerTokenizer, loadTokenizer } from "./tokenizer/load-tokenizer.js";
export { serverTokenizer } from "./tokenizer/server-tokenizer.js";
export type { Tokenizer } from "./tokenizer/types.js";
export { fileLines, fileSha256 } from "./workload/dataset-stream.js";
export {
  type DatasetStats,
  type FileWorkloadOptions,
  fileWorkload,
  fileWorkloadStats,
} from "./workload/file-workload.js";
export { type PromptTemplate, promptTemplate } from "./workload/prompt-template.js";
export { type RandomWorkloadOptions, randomWorkload } from "./workload/random-workload.js";
export {
  type SessionScript,
  type SessionTurn,
  type SessionWorkloadOptions,
  sessionWorkload,
  type ThinkTimeKind,
} from "./workload/session-workload.js";
export {
  type ShareGptSessionOptions,
  shareGptSessionStats,
  shareGptSessions,
} from "./workload/sharegpt-sessions.js";
export { type SyntheticSessionOptions, syntheticSessions } from "./workload/synthetic-sessions.js";
export { readTraceFile, type TraceFile, type TraceRecord } from "./workload/trace-file.js";
export {
  type BlockPrompts,
  blockPrompts,
  DEFAULT_TRACE_BLOCK_SIZE,
} from "./workload/trace-prompts.js";
export {
  type TraceStats,
  type TraceWorkload,
  type TraceWorkloadOptions,
  traceStats,
  traceWorkload,
} from "./workload/trace-workload.js";
export { type SessionReport, sessionReport, type TurnStats } from "./workload/turn-stats.js";
export type {
  ChatMessage,
  WorkItem,
  Workload,
  WorkloadInfo,
  WorkResult,
} from "./workload/types.js";
