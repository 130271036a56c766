import { BenchOptionError } from "../errors.js";
import { dynamo } from "./dynamo.js";
import { llamacpp } from "./llamacpp.js";
import { ollama } from "./ollama.js";
import { openai } from "./openai.js";
import { sglang } from "./sglang.js";
import { trtllm } from "./trtllm.js";
import { BACKEND_NAMES, type BackendName, type BackendPreset, type VersionProbe } from "./types.js";
import { vllm } from "./vllm.js";

/** Every backend preset by name. */
export const BACKENDS: Readonly<Record<BackendName, BackendPreset>> = {
  vllm,
  sglang,
  trtllm,
  dynamo,
  llamacpp,
  ollama,
  openai,
};

/**
 * Every backend's version endpoints, once each, in the presets' order: for a server whose engine is not known
 * (a sweep's readiness check asks before any backend is chosen).
 */
export const ANY_VERSION_PROBES: readonly VersionProbe[] = Object.values(BACKENDS)
  .flatMap((b) => b.versionProbes)
  .filter((p, i, all) => all.findIndex((q) => q.path === p.path) === i);

/**
 * The preset of a backend, or a BenchOptionError listing the known names.
 * @example getBackend("sglang").ignoreEos // true
 */
export function getBackend(name: string): BackendPreset {
  if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new BenchOptionError(`--backend: unknown "${name}"; known: ${BACKEND_NAMES.join(", ")}`);
  }
  return BACKENDS[name as BackendName];
}
