import { seededRandom } from "../engine/rng.js";

const CONSONANTS = "bcdfghjklmnprstvz";
const VOWELS = "aeiou";

/**
 * The vocabulary of the built-in tokenizer that infermark's load generator also uses: every
 * two-syllable word of consonant-vowel syllables (7,225 words).
 */
export const SIM_WORDS: readonly string[] = (() => {
  const syl: string[] = [];
  for (const c of CONSONANTS) for (const v of VOWELS) syl.push(c + v);
  const words: string[] = [];
  for (const a of syl) for (const b of syl) words.push(a + b);
  return words;
})();

const IDS = new Map(SIM_WORDS.map((w, i) => [w, i]));
const encoder = new TextEncoder();

/** Name the server reports for its tokenizer. */
export const SIM_TOKENIZER = "builtin";

/**
 * Tokenizes like the load generator's built-in tokenizer: a vocabulary word is one token; any other
 * whitespace-separated piece is one token per 4 UTF-8 bytes.
 * @example simTokenize("baba keko hello").length // 4
 */
export function simTokenize(text: string): number[] {
  const ids: number[] = [];
  for (const piece of text.split(/\s+/)) {
    if (!piece) continue;
    const id = IDS.get(piece);
    if (id !== undefined) {
      ids.push(id);
      continue;
    }
    const bytes = encoder.encode(piece);
    for (let i = 0; i < bytes.length; i += 4) {
      let h = 2166136261;
      for (let j = i; j < Math.min(i + 4, bytes.length); j++)
        h = Math.imul(h ^ bytes[j]!, 16777619) >>> 0;
      ids.push(SIM_WORDS.length + (h % 32768));
    }
  }
  return ids;
}

/** Deterministic generated text: `n` vocabulary words (one token each) from a seed and request key. */
export function generatedWords(seed: number, key: number, n: number): string[] {
  const rnd = seededRandom((seed * 2654435761 + key) >>> 0);
  return Array.from({ length: n }, () => SIM_WORDS[Math.floor(rnd() * SIM_WORDS.length)]!);
}
