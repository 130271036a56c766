import type { SpecDecoding, WorkerPool } from "../schemas/common.js";
import type { Topology } from "../schemas/point-result.js";

/** `1024` → `1k`, `8192` → `8k`, `1000` → `1000`. */
export function tokenCountLabel(n: number): string {
  return n >= 1024 && n % 1024 === 0 ? `${n / 1024}k` : String(n);
}

/** `1k1k`, `8k1k` (InferenceX's labels) when both lengths are multiples of 1024, else `1000x200`. */
export function scenarioLabel(isl: number, osl: number): string {
  const a = tokenCountLabel(isl);
  const b = tokenCountLabel(osl);
  return a.endsWith("k") && b.endsWith("k") ? `${a}${b}` : `${isl}x${osl}`;
}

function poolLabel(pool: WorkerPool | undefined, fallbackTp: number): string {
  const tp = pool?.tp ?? fallbackTp;
  let out = `tp${tp}`;
  if (pool && pool.ep > 1) out += `-ep${pool.ep}`;
  if (pool?.dpAttention) out += "-dpa";
  return out;
}

/** `tp8`, `tp8-ep8-dpa`, or `p2xtp4-d1xtp8-ep8` for disaggregated serving. */
export function topologyLabel(topology: Topology): string {
  if (!topology.disaggregated) return poolLabel(topology.decode ?? topology.prefill, topology.gpus);
  const side = (tag: string, pool: WorkerPool | undefined) =>
    `${tag}${pool?.workers ?? 1}x${poolLabel(pool, 1)}`;
  return `${side("p", topology.prefill)}-${side("d", topology.decode)}`;
}

/** `mtp3`, `eagle`, or empty for no speculative decoding. */
export function specDecodingLabel(spec: SpecDecoding): string {
  if (spec.method === "none") return "";
  return `${spec.method}${spec.draftTokens ?? ""}`;
}

/** Lower-cases and keeps `[a-z0-9.-]`, so a name is safe as a file, job and artifact name. */
export function safeName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .replace(/-{2,}/g, "-");
}

/**
 * The stable name of a server configuration:
 * `<model>-<hardware>-<framework>-<precision>-<topology>[-<spec>]-<isl><osl>[-mt<turns>]`, the last part for
 * multi-turn sessions; a dataset scenario's label (`sharegpt-chat`) in place of the lengths and turns.
 * @example serverName({...}) // "dsr1-h200-sglang-fp8-tp8-ep8-dpa-mtp3-1k1k"
 */
export function serverName(parts: {
  model: string;
  hardware: string;
  framework: string;
  precision: string;
  topology: Topology;
  specDecoding: SpecDecoding;
  isl: number;
  osl: number;
  /** User turns per session, for a multi-turn scenario. */
  turns?: number;
  /** A dataset scenario's label, in place of ISL/OSL and turns. */
  dataset?: string;
}): string {
  const model = parts.model.includes("/") ? parts.model.split("/").pop()! : parts.model;
  return safeName(
    [
      model,
      parts.hardware,
      parts.framework,
      parts.precision,
      topologyLabel(parts.topology),
      specDecodingLabel(parts.specDecoding),
      parts.dataset ?? scenarioLabel(parts.isl, parts.osl),
      parts.turns !== undefined && parts.dataset === undefined ? `mt${parts.turns}` : "",
    ]
      .filter(Boolean)
      .join("-"),
  );
}
