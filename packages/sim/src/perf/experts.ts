/**
 * Expected number of distinct experts a batch of `tokens` tokens touches in one MoE layer, when each
 * token picks `topK` of `experts` uniformly: E x (1 - (1 - k/E)^B).
 * @example expectedDistinctExperts(256, 8, 1) // 8
 */
export function expectedDistinctExperts(experts: number, topK: number, tokens: number): number {
  if (tokens <= 0) return 0;
  return experts * (1 - (1 - topK / experts) ** tokens);
}

/**
 * Expected number of distinct experts touched on the busiest of `ranks` expert-parallel ranks, each
 * holding experts / ranks of them. A step waits for its slowest rank, so the expert weights a step reads
 * per GPU are set by this maximum, not by the mean (distinct / ranks): at a batch of 4 tokens x 8 of 256
 * experts the mean rank reads 3.8 experts and the busiest about 6.3. Each expert is touched with
 * probability p = 1 - (1 - k/E)^B; a rank's count is Binomial(E / ranks, p), the ranks taken as
 * independent; E[max] = sum over m < n of (1 - F(m)^ranks).
 * @example expectedMaxDistinctPerRank(256, 8, 1e6, 8) // 32
 */
export function expectedMaxDistinctPerRank(
  experts: number,
  topK: number,
  tokens: number,
  ranks: number,
): number {
  if (tokens <= 0) return 0;
  const n = Math.round(experts / ranks);
  const q = (1 - topK / experts) ** tokens; // probability that an expert is untouched
  if (ranks <= 1) return n * (1 - q);
  if (q < 1e-12) return n;
  const logP = Math.log1p(-q);
  const logQ = Math.log(q);
  let logChoose = 0; // log C(n, j)
  let cdf = 0;
  let expectedMax = 0;
  for (let j = 0; j < n; j++) {
    if (j > 0) logChoose += Math.log((n - j + 1) / j);
    cdf += Math.exp(logChoose + j * logP + (n - j) * logQ);
    expectedMax += 1 - Math.min(1, cdf) ** ranks;
  }
  return expectedMax;
}
