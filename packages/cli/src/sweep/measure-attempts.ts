import { existingFailures, measuredResults } from "./results-dir.js";

/**
 * How many times each point was measured before, by fingerprint, as an output folder and a CI run tell it: one more
 * than the attempt its result or failure record there gives (a re-measure by `--force`, `--retry-invalid`, a resumed
 * Slurm job or a GitHub re-run, which downloads the earlier attempt's results first), and at least the earlier
 * attempts of a GitHub Actions re-run (`GITHUB_RUN_ATTEMPT` - 1), whose results may not have come back; else 0. A
 * re-measure draws new prompts from it (`pointSeed`), where a warm external server cached the earlier ones.
 * @example (await measureAttempts(out, {}))("0123456789abcdef") // 1 after a first result of that fingerprint
 */
export async function measureAttempts(
  outputDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<(fingerprint: string) => number> {
  const before = new Map<string, number>();
  const seen = (fp: string, attempt: number) =>
    before.set(fp, Math.max(before.get(fp) ?? 0, attempt + 1));
  for (const [fp, result] of await measuredResults(outputDir)) seen(fp, result.attempt);
  for (const [fp, failure] of await existingFailures(outputDir)) {
    const attempt = failure.attempt;
    seen(fp, Number.isSafeInteger(attempt) && attempt! > 0 ? attempt! : 0);
  }
  const run = /^\d+$/.test(env.GITHUB_RUN_ATTEMPT ?? "") ? Number(env.GITHUB_RUN_ATTEMPT) - 1 : 0;
  return (fp) => Math.max(before.get(fp) ?? 0, run);
}
