import { findStop } from "./stop-strings.js";
import { generatedWords } from "./tokenizer.js";

/** The text a choice generates: a piece per token, and the stop string that ends it. */
export interface ChoiceText {
  /** The words generated, one token each, before any stop string cut them. */
  words: string[];
  /** The text of each token sent: ` word`, the last cut at a stop string. */
  pieces: string[];
  /** The stop string that ends it; null when it runs to `max_tokens`. */
  stopReason: string | null;
}

/** What ends a choice early: the request's stop strings (`findStop`). */
export interface StopRule {
  stop: string[];
  minTokens: number;
  includeStopStr: boolean;
}

/**
 * The deterministic text of a choice: `maxTokens` words from the seed and `key`, each a token, ended where a stop
 * string appears in them, as in vLLM (its text cut where the stop string starts, or ends with
 * `include_stop_str_in_output`).
 * @example choiceText(1, 0, 3, { stop: [], minTokens: 0, includeStopStr: false }).pieces.length // 3
 */
export function choiceText(
  seed: number,
  key: number,
  maxTokens: number,
  rule: StopRule,
): ChoiceText {
  const words = generatedWords(seed, key, maxTokens);
  const pieces = words.map((w) => ` ${w}`);
  const stop = findStop(pieces, rule.stop, rule.minTokens, rule.includeStopStr);
  if (stop) {
    // the text sent ends where the stop string starts, which can be in a token before the last
    pieces.length = stop.tokens;
    let left = stop.text.length;
    for (let i = 0; i < pieces.length; i++) {
      pieces[i] = pieces[i]!.slice(0, left);
      left -= pieces[i]!.length;
    }
  }
  return { words, pieces, stopReason: stop?.stop ?? null };
}
