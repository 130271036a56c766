import type { Rng } from "../rng.js";
import type { Tokenizer } from "./types.js";

const CONSONANTS = "bcdfghjklmnprstvz";
const VOWELS = "aeiou";

/** The built-in vocabulary: every two-syllable word of consonant-vowel syllables (7,225 words). */
export const BUILTIN_WORDS: readonly string[] = (() => {
  const syllables: string[] = [];
  for (const c of CONSONANTS) for (const v of VOWELS) syllables.push(c + v);
  const words: string[] = [];
  for (const a of syllables) for (const b of syllables) words.push(a + b);
  return words;
})();

const WORD_IDS = new Map(BUILTIN_WORDS.map((w, i) => [w, i]));
const BYTE_CHUNK = 4;
const CHUNK_ID_SPACE = 32768;

/**
 * The offline default tokenizer: deterministic, no files, no downloads. A built-in vocabulary word
 * is one token; any other whitespace-separated piece is one token per 4 UTF-8 bytes (about the
 * ratio of English under modern BPE vocabularies). Random prompts use vocabulary words only, so
 * their length is exact under this tokenizer and approximate under the server's.
 * @example await builtinTokenizer().count("baba keko hello") // 1 + 1 + 2 = 4
 */
export function builtinTokenizer(): Tokenizer {
  const encodeSync = (text: string): number[] => {
    const ids: number[] = [];
    for (const piece of text.split(/\s+/)) {
      if (piece.length === 0) continue;
      const id = WORD_IDS.get(piece);
      if (id !== undefined) {
        ids.push(id);
        continue;
      }
      const bytes = Buffer.from(piece, "utf8");
      for (let i = 0; i < bytes.length; i += BYTE_CHUNK) {
        let h = 2166136261;
        for (let j = i; j < Math.min(i + BYTE_CHUNK, bytes.length); j++) {
          h = Math.imul(h ^ bytes[j]!, 16777619) >>> 0;
        }
        ids.push(BUILTIN_WORDS.length + (h % CHUNK_ID_SPACE));
      }
    }
    return ids;
  };
  return {
    name: "builtin",
    encode: async (text) => encodeSync(text),
    count: async (text) => encodeSync(text).length,
    decode: async (ids) =>
      ids
        .map((id) => BUILTIN_WORDS[id] ?? "")
        .filter((w) => w.length > 0)
        .join(" "),
    sampleIds: (n: number, rng: Rng) =>
      Array.from({ length: n }, () => rng.int(0, BUILTIN_WORDS.length - 1)),
  };
}
