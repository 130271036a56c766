import { InfermarkError } from "@infermark/core";
import {
  calibrationKey,
  checkEfficiencyFactors,
  DEFAULT_FRAMEWORK,
  loadGpu,
  loadModel,
  type SimOptions,
} from "@infermark/sim";
import { FileError, UsageError } from "../errors.js";
import { readYamlFile } from "../io.js";
import { loadCatalog } from "./catalog.js";
import { catalogRefError, layoutFlagError } from "./sim-flag-errors.js";

/** Flags shared by the `sim` commands, as commander parses them. */
export interface SimFlags {
  model: string;
  /** `sim predict --model-name`: the name recorded for the model instead of its catalog key or config.json's name. */
  modelName?: string;
  hardware: string;
  /** `sim predict --hardware-name`: the name recorded for the GPU instead of its catalog key or spec file's name. */
  hardwareName?: string;
  gpus?: number;
  tp?: number;
  ep?: number;
  pp?: number;
  dpAttention?: boolean;
  disagg?: boolean;
  prefillWorkers?: number;
  prefillTp?: number;
  prefillEp?: number;
  prefillDpAttention?: boolean;
  decodeWorkers?: number;
  decodeTp?: number;
  decodeEp?: number;
  decodeDpAttention?: boolean;
  precision?: string;
  kvCacheDtype?: string;
  mtpDraftTokens?: number;
  /** `--spec-method`: what makes the drafts, the model's MTP layers or a separate draft model. @default "mtp" */
  specMethod?: "mtp" | "draft";
  mtpDraftPasses?: number;
  acceptance?: number;
  maxBatchedTokens?: number;
  maxRunning?: number;
  chunkedPrefill?: number;
  memoryFraction?: number;
  /** `--fp8-gemm`: SGLang's block-scaled FP8 GEMM kernels, DeepGEMM or its fallback. @default "deepgemm" */
  fp8Gemm?: "deepgemm" | "fallback";
  calibration?: string;
  framework?: string;
  catalog?: string;
  /** `sim serve --max-model-len`: the most tokens (prompt + max_tokens) a request may hold, as vLLM's flag. */
  maxModelLen?: number;
}

/** The per-pool flags of disaggregated serving, by their SimFlags key. */
const POOL_FLAGS: [keyof SimFlags, string][] = [
  ["prefillWorkers", "--prefill-workers"],
  ["prefillTp", "--prefill-tp"],
  ["prefillEp", "--prefill-ep"],
  ["prefillDpAttention", "--prefill-dp-attention"],
  ["decodeWorkers", "--decode-workers"],
  ["decodeTp", "--decode-tp"],
  ["decodeEp", "--decode-ep"],
  ["decodeDpAttention", "--decode-dp-attention"],
];

/** Turns `sim` flags into SimOptions: catalog keys or files for model and GPU, layout, precision, MTP. */
export async function simOptionsFromFlags(f: SimFlags): Promise<SimOptions> {
  const catalog = await loadCatalog(f.catalog);
  const flagError =
    catalogRefError("--hardware", f.hardware, catalog) ??
    catalogRefError("--model", f.model, catalog) ??
    (f.disagg ? undefined : layoutFlagError(f));
  if (flagError) throw flagError;
  const hardware = named(
    fromFile("--hardware", f.hardware, () => loadGpu(f.hardware, catalog)),
    f.hardwareName,
    "--hardware-name",
  );
  const model = named(
    contextLimited(
      fromFile("--model", f.model, () => loadModel(f.model, catalog)),
      f.maxModelLen,
    ),
    f.modelName,
    "--model-name",
  );
  const o: SimOptions = { model, hardware, catalog };
  if (f.precision) o.precision = f.precision;
  if (f.kvCacheDtype) o.kvCacheDtype = f.kvCacheDtype;
  if (f.framework) o.framework = f.framework;
  if (f.fp8Gemm) o.fp8Gemm = f.fp8Gemm;
  if (f.disagg) {
    // the shared layout flags apply to both pools unless a pool's own flag says otherwise
    o.disaggregated = true;
    o.gpus = f.gpus;
    o.prefill = {
      tp: f.prefillTp ?? f.tp,
      ep: f.prefillEp ?? f.ep,
      pp: f.pp,
      dpAttention: f.prefillDpAttention ?? f.dpAttention,
      workers: f.prefillWorkers,
    };
    o.decode = {
      tp: f.decodeTp ?? f.tp,
      ep: f.decodeEp ?? f.ep,
      pp: f.pp,
      dpAttention: f.decodeDpAttention ?? f.dpAttention,
      workers: f.decodeWorkers,
    };
  } else {
    const poolFlag = POOL_FLAGS.find(([key]) => f[key] !== undefined);
    if (poolFlag)
      throw new UsageError(`${poolFlag[1]} sets a pool of disaggregated serving: add --disagg`);
    Object.assign(o, { tp: f.tp, pp: f.pp, dpAttention: f.dpAttention, gpus: f.gpus });
    if (f.ep) o.ep = f.ep;
  }
  if (!f.mtpDraftTokens) {
    const mtpFlag = f.acceptance
      ? "--acceptance"
      : f.mtpDraftPasses
        ? "--mtp-draft-passes"
        : f.specMethod
          ? "--spec-method"
          : "";
    if (mtpFlag) throw new UsageError(`${mtpFlag} needs --mtp-draft-tokens`);
  } else
    o.spec = {
      method: f.specMethod ?? "mtp",
      draftTokens: f.mtpDraftTokens,
      ...(f.acceptance ? { acceptanceLength: f.acceptance } : {}),
      ...(f.mtpDraftPasses ? { draftPasses: f.mtpDraftPasses } : {}),
    };
  const engine: NonNullable<SimOptions["engine"]> = {};
  if (f.maxBatchedTokens) engine.maxBatchedTokens = f.maxBatchedTokens;
  if (f.maxRunning) engine.maxRunningRequests = f.maxRunning;
  if (f.chunkedPrefill) engine.chunkedPrefill = f.chunkedPrefill;
  if (f.memoryFraction) engine.memoryFraction = f.memoryFraction;
  if (Object.keys(engine).length) o.engine = engine;
  if (f.calibration) o.calibration = calibrationFor(f.calibration, hardware.key, f.framework);
  // strip undefined so resolveSimConfig's key check sees only what was given
  for (const k of Object.keys(o) as (keyof SimOptions)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * A model or GPU read from `ref`; a file's error (it cannot be read, is not JSON or YAML, or not a config) names the
 * flag before the file, as `bench --dataset` does (`--model ./llama/config.json: cannot read (ENOENT ...)`).
 */
function fromFile<T>(flag: string, ref: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    // the simulator's file errors start with the path as given
    if (error instanceof InfermarkError && error.message.startsWith(`${ref}: `))
      throw new FileError(`${flag} ${ref}`, error.message.slice(ref.length + 2), { cause: error });
    throw error;
  }
}

/**
 * A model whose requests may hold at most `maxModelLen` tokens (`--max-model-len`), as a server started with a
 * smaller context than the model's; more than the model's own context length is refused, as vLLM refuses it.
 */
function contextLimited<T extends { key: string; maxContext: number }>(
  model: T,
  maxModelLen: number | undefined,
): T {
  if (maxModelLen === undefined) return model;
  if (maxModelLen > model.maxContext)
    throw new UsageError(
      `--max-model-len ${maxModelLen} exceeds the context length of ${model.key}, ${model.maxContext} tokens: give at most ${model.maxContext}, or leave it out`,
    );
  // a copy: a catalog entry is the catalog's own object
  return { ...model, maxContext: maxModelLen };
}

/** A model or GPU recorded under the name the user gave (`--model-name`, `--hardware-name`), if any. */
function named<T extends { key: string }>(spec: T, name: string | undefined, flag: string): T {
  if (name === undefined) return spec;
  if (name.trim() === "") throw new UsageError(`${flag} expects a name, got an empty one`);
  // a copy: a catalog entry is the catalog's own object
  return { ...spec, key: name };
}

/**
 * Reads the calibration file of one configuration and checks that it has factors for its hardware/framework:
 * there the defaults would be used without a word, and one configuration without its entry is a mistake (most
 * often a missing or mistyped `--framework`), where `sim validate`'s many configurations may lack some.
 */
function calibrationFor(
  path: string,
  hardware: string,
  framework: string | undefined,
): NonNullable<SimOptions["calibration"]> {
  const calibration = readCalibration(path);
  const key = calibrationKey(hardware, framework ?? DEFAULT_FRAMEWORK);
  if (calibration[key]) return calibration;
  const keys = Object.keys(calibration).sort();
  throw new UsageError(
    `--calibration ${path} has no factors for ${key}${framework ? "" : ` (--framework not given: ${DEFAULT_FRAMEWORK})`}; it has ${keys.length ? keys.join(", ") : "none"}: pass the --hardware and --framework it was calibrated for, or leave out --calibration`,
  );
}

/** Reads a calibration file written by `sim calibrate` (YAML or JSON with a `factors` map). */
export function readCalibration(path: string): NonNullable<SimOptions["calibration"]> {
  const doc = readYamlFile(path, "calibration file");
  const factors = (doc as { factors?: unknown } | null)?.factors;
  if (typeof factors !== "object" || factors === null || Array.isArray(factors))
    throw new FileError(
      path,
      "not a calibration file: no `factors` mapping of hardware/framework to factors (write one with `infermark sim calibrate -o`)",
    );
  // every entry is checked here, so a bad value names the file at once rather than failing one prediction later
  for (const [key, entry] of Object.entries(factors)) {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry))
      throw new FileError(path, `factors.${key} must be a mapping of efficiency factors`);
    try {
      checkEfficiencyFactors(`factors.${key}`, entry);
    } catch (error) {
      throw new FileError(path, (error as Error).message, { cause: error });
    }
  }
  return factors as NonNullable<SimOptions["calibration"]>;
}
