import type { VersionProbe } from "../backends/types.js";
import { redact } from "../redact.js";
import { runSecrets } from "./run-secrets.js";

/** The longest version string kept: a version, a build tag or a commit, never a page of text. */
const MAX_VERSION_LENGTH = 100;

/**
 * The engine version a server gives about itself, from the first of `probes` that answers 200 with a
 * non-empty string in its field (printable, at most 100 characters, holding none of the credentials in `headers`), or
 * undefined: servers that do not say are measured as they are. Each probe waits at most `timeoutMs`; `headers` go
 * with it (the run's, which a gateway may require, its authorization included), and a redirect is not followed (it
 * is no answer). A "version" that echoes a credential it was sent is no version, and would be in every point.
 * @example await fetchServerVersion("http://gpu-1:8000", vllm.versionProbes, {}) // "0.11.0"
 */
export async function fetchServerVersion(
  origin: string,
  probes: readonly VersionProbe[],
  headers: Record<string, string>,
  timeoutMs = 2_000,
): Promise<string | undefined> {
  const secrets = URL.canParse(origin) ? runSecrets({ baseUrl: origin, headers }) : [];
  for (const probe of probes) {
    const version = await probeVersion(origin + probe.path, probe.field, headers, timeoutMs);
    if (version !== undefined && redact(version, secrets) === version) return version;
  }
  return undefined;
}

async function probeVersion(
  url: string,
  field: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<string | undefined> {
  try {
    const response = await fetch(url, {
      headers: { accept: "application/json", ...headers },
      // a redirect leads elsewhere (another host's /version, a login page): what it says is not this server's version
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    const body = (await response.json()) as Record<string, unknown> | null;
    const value = body?.[field];
    if (typeof value !== "string") return undefined;
    const version = value.trim();
    // control characters or a long text are not a version (and would end up in every point)
    return version.length > 0 &&
      version.length <= MAX_VERSION_LENGTH &&
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the check is for control characters
      !/[\u0000-\u001f\u007f]/.test(version)
      ? version
      : undefined;
  } catch {
    return undefined;
  }
}
