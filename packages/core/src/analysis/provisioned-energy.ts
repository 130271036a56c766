/**
 * Provisioned energy per token (METRICS.md; no measurement): `all_in_kw_per_gpu * 1000 / tput_per_gpu` J/token.
 * Undefined when the throughput is not positive. Always label it as provisioned, never as measured.
 * @example provisionedJoulesPerToken(2000, 2) // 1 J/token
 */
export function provisionedJoulesPerToken(
  tputPerGpu: number,
  allInKwPerGpu: number,
): number | undefined {
  if (!(tputPerGpu > 0) || !(allInKwPerGpu > 0)) return undefined;
  return (allInKwPerGpu * 1000) / tputPerGpu;
}

/**
 * Tokens per second per megawatt of all-in power: `tput_per_gpu * 1000 / all_in_kw_per_gpu`.
 * @example tokensPerSecondPerMw(2000, 2) // 1_000_000
 */
export function tokensPerSecondPerMw(
  tputPerGpu: number,
  allInKwPerGpu: number,
): number | undefined {
  if (!(tputPerGpu >= 0) || !(allInKwPerGpu > 0)) return undefined;
  return (tputPerGpu * 1000) / allInKwPerGpu;
}
