/**
 * Expected number of distinct experts a batch of `tokens` tokens touches in one MoE layer, when each
 * token picks `topK` of `experts` uniformly: E x (1 - (1 - k/E)^B).
 * @example expectedDistinctExperts(256, 8, 1) // 8
 */
export function expectedDistinctExperts(experts: number, topK: number, tokens: number): number {
  if (tokens <= 0) return 0;
  return experts * (1 - (1 - topK / experts) ** tokens);
}
