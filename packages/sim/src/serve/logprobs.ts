import { seededRandom } from "../engine/rng.js";
import { SIM_WORDS } from "./tokenizer.js";

/** One token and its log-probability, as a top list holds it. */
export interface TokenLogprob {
  token: string;
  logprob: number;
}

/**
 * What a position's logprobs hold: the token there first (the most likely: the simulator's text is what its model
 * would pick greedily), then the next most likely tokens, in decreasing order. Null where vLLM gives none (the
 * prompt's first token).
 */
export type PositionLogprobs = TokenLogprob[] | null;

/** vLLM's `--max-logprobs` default: the most top tokens a request may ask for per position. */
export const MAX_LOGPROBS = 20;

// FNV-1a of the seed and text: the same token after the same context gets the same numbers in every request
function hashOf(seed: number, text: string): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/**
 * Synthetic, reproducible log-probabilities of `token` after `context` (the token before it), with `top - 1`
 * alternatives: vocabulary words with the token's leading whitespace, none equal to it or each other. The token's
 * probability is the largest, the others decrease, and all of them sum to less than 1, so every value is below 0.
 * `top` is at least 1 (the token itself) and at most `MAX_LOGPROBS`.
 * @example positionLogprobs(0, " baba", " keko", 3).map((t) => t.token)[0] // " keko"
 */
export function positionLogprobs(
  seed: number,
  context: string,
  token: string,
  top: number,
): TokenLogprob[] {
  const rnd = seededRandom(hashOf(seed, `${context}\u0000${token}`));
  const lead = /^\s*/.exec(token)?.[0] ?? "";
  let p = 0.5 + 0.49 * rnd();
  let left = 1 - p;
  const list: TokenLogprob[] = [{ token, logprob: Math.log(p) }];
  const seen = new Set([token]);
  while (list.length < top) {
    const alt = lead + SIM_WORDS[Math.floor(rnd() * SIM_WORDS.length)]!;
    if (seen.has(alt)) continue;
    seen.add(alt);
    p = Math.min(p * 0.99, left * (0.2 + 0.5 * rnd()));
    left -= p;
    list.push({ token: alt, logprob: Math.log(p) });
  }
  return list;
}

/** Python's `len` of a string: its code points, which vLLM's `text_offset` counts. */
const codePoints = (text: string) => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

/** A completions choice's (or chunk's) `logprobs`, in vLLM's shape. */
export interface CompletionLogprobs {
  text_offset: number[];
  token_logprobs: (number | null)[];
  tokens: string[];
  top_logprobs: (Record<string, number> | null)[];
}

/**
 * vLLM's completions `logprobs` of `tokens`: each token's logprob, its top list as a dict of the token and the
 * `requested` most likely (the token alone for 0, as vLLM always includes the sampled token), and each token's
 * offset in the text, from `offset` (the code points sent before).
 * @example completionLogprobs([" a", " b"], [null, [{ token: " b", logprob: -0.1 }]], 0, 5).text_offset // [5, 7]
 */
export function completionLogprobs(
  tokens: readonly string[],
  positions: readonly PositionLogprobs[],
  requested: number,
  offset: number,
): CompletionLogprobs {
  const out: CompletionLogprobs = {
    text_offset: [],
    token_logprobs: [],
    tokens: [],
    top_logprobs: [],
  };
  let at = offset;
  tokens.forEach((token, i) => {
    const top = positions[i] ?? null;
    out.text_offset.push(at);
    out.tokens.push(token);
    out.token_logprobs.push(top ? top[0]!.logprob : null);
    out.top_logprobs.push(
      top
        ? Object.fromEntries(top.slice(0, Math.max(1, requested)).map((t) => [t.token, t.logprob]))
        : null,
    );
    at += codePoints(token);
  });
  return out;
}

const utf8 = (token: string) => [...Buffer.from(token, "utf8")];

/**
 * vLLM's chat `logprobs` of `tokens`: `{content: [{token, logprob, bytes, top_logprobs}]}`, each top list the
 * `requested` most likely tokens (empty for 0), the token first.
 */
export function chatLogprobs(
  tokens: readonly string[],
  positions: readonly PositionLogprobs[],
  requested: number,
): { content: Record<string, unknown>[] } {
  return {
    content: tokens.map((token, i) => {
      const top = positions[i] ?? [];
      return {
        token,
        logprob: top[0]?.logprob ?? -9999,
        bytes: utf8(token),
        top_logprobs: top
          .slice(0, requested)
          .map((t) => ({ token: t.token, logprob: t.logprob, bytes: utf8(t.token) })),
      };
    }),
  };
}
