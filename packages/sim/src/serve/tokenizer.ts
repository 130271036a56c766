import { BUILTIN_WORDS, builtinTokenize } from "@infermark/core";
import { seededRandom } from "../engine/rng.js";

/** The vocabulary of the built-in tokenizer that infermark's load generator also uses (core's `BUILTIN_WORDS`). */
export const SIM_WORDS: readonly string[] = BUILTIN_WORDS;

/** Name the server reports for its tokenizer. */
export const SIM_TOKENIZER = "builtin";

/**
 * Tokenizes like the load generator's built-in tokenizer (core's `builtinTokenize`): a vocabulary word is
 * one token; any other whitespace-separated piece is one token per 4 UTF-8 bytes. With `limit`, it stops
 * past `limit` ids.
 * @example simTokenize("baba keko hello").length // 4
 */
export function simTokenize(text: string, limit?: number): number[] {
  return builtinTokenize(text, limit);
}

const WORDS = new Set(SIM_WORDS);
const BYTE_CHUNK = 4;
const utf8Length = (cp: number) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

/**
 * The text of each token `simTokenize` gives (`/tokenize`'s `token_strs`, vLLM's `return_token_strs`): a
 * vocabulary word is its token; any other whitespace-separated piece gives a string per 4 UTF-8 bytes, each
 * character in the token where its first byte falls, so a piece's strings join back to the piece.
 * @example simTokenStrs("baba hello") // ["baba", "hell", "o"]
 */
export function simTokenStrs(text: string): string[] {
  const strs: string[] = [];
  for (const [piece] of text.matchAll(/\S+/g)) {
    if (WORDS.has(piece)) {
      strs.push(piece);
      continue;
    }
    const first = strs.length;
    let bytes = 0;
    for (const ch of piece) {
      const chunk = first + Math.floor(bytes / BYTE_CHUNK);
      strs[chunk] = (strs[chunk] ?? "") + ch;
      bytes += utf8Length(ch.codePointAt(0)!);
    }
    // a token of a character's last bytes alone has no character of its own
    for (let i = strs.length; i < first + Math.ceil(bytes / BYTE_CHUNK); i++) strs.push("");
  }
  return strs;
}

/**
 * Text for token ids (`POST /detokenize`): a vocabulary word's id gives that word back; any other id (a piece the
 * tokenizer hashed, or an id of the model's vocabulary past the built-in one) gives a stand-in word, so the text
 * always tokenizes back to as many tokens as there were ids.
 * @example simDetokenize(simTokenize("baba keko")) // "baba keko"
 */
export function simDetokenize(ids: readonly number[]): string {
  return ids.map((id) => SIM_WORDS[id % SIM_WORDS.length]!).join(" ");
}

/**
 * vLLM's refusal of a prompt or `/detokenize` list holding an id past the model's vocabulary, naming the largest
 * (`Token id 129280 is out of vocabulary`); undefined when every id is below `vocab`.
 * @example outOfVocabulary([1, 129280], 129280) // "Token id 129280 is out of vocabulary"
 */
export function outOfVocabulary(ids: readonly number[], vocab: number): string | undefined {
  const largest = ids.reduce((a, b) => Math.max(a, b), 0);
  return largest >= vocab ? `Token id ${largest} is out of vocabulary` : undefined;
}

/** Deterministic generated text: `n` vocabulary words (one token each) from a seed and request key. */
export function generatedWords(seed: number, key: number, n: number): string[] {
  const rnd = seededRandom((seed * 2654435761 + key) >>> 0);
  return Array.from({ length: n }, () => SIM_WORDS[Math.floor(rnd() * SIM_WORDS.length)]!);
}
