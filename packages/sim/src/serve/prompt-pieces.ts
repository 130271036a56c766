import { SIM_WORDS, simTokenStrs } from "./tokenizer.js";

/**
 * The text of each token of a prompt as `echo` sends it back, so that the pieces join to the echoed text: a text
 * prompt's tokens (`simTokenStrs`) with the whitespace before each piece on its first token (and any after the
 * last on the last), so they join to the prompt as sent; token ids give their words (`simDetokenize`), a space
 * before each but the first. Every token has a piece, so there are as many as `usage.prompt_tokens` counts. With
 * `last`, the pieces of a text prompt's last `last` tokens alone (what `truncate_prompt_tokens` keeps), without
 * the whitespace before the first.
 * @example promptPieces("baba  hello") // ["baba", "  hell", "o"]
 * @example promptPieces("baba  hello", 2) // ["hell", "o"]
 */
export function promptPieces(prompt: string | readonly number[], last?: number): string[] {
  if (last !== undefined) {
    const all = promptPieces(prompt);
    const kept = all.slice(Math.max(0, all.length - last));
    if (kept.length > 0) kept[0] = kept[0]!.trimStart();
    return kept;
  }
  if (typeof prompt !== "string")
    return prompt.map((id, i) => (i === 0 ? "" : " ") + SIM_WORDS[id % SIM_WORDS.length]!);
  const pieces: string[] = [];
  let end = 0;
  for (const m of prompt.matchAll(/\S+/g)) {
    const strs = simTokenStrs(m[0]);
    strs[0] = prompt.slice(end, m.index) + strs[0]!;
    pieces.push(...strs);
    end = m.index + m[0].length;
  }
  if (pieces.length > 0) pieces[pieces.length - 1] += prompt.slice(end);
  return pieces;
}
