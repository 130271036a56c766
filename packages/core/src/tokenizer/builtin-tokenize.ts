const CONSONANTS = "bcdfghjklmnprstvz";
const VOWELS = "aeiou";
const BYTE_CHUNK = 4;
const CHUNK_ID_SPACE = 32768;

/**
 * The built-in tokenizer's vocabulary: every two-syllable word of consonant-vowel syllables (7,225
 * words). The load generator's random prompts and the simulator's generated text use these words.
 */
export const BUILTIN_WORDS: readonly string[] = (() => {
  const syllables: string[] = [];
  for (const c of CONSONANTS) for (const v of VOWELS) syllables.push(c + v);
  const words: string[] = [];
  for (const a of syllables) for (const b of syllables) words.push(a + b);
  return words;
})();

const WORD_IDS = new Map(BUILTIN_WORDS.map((w, i) => [w, i]));
const encoder = new TextEncoder();

/**
 * The offline built-in tokenizer that the load generator and the simulator's server share: a
 * vocabulary word is one token; any other whitespace-separated piece is one token per 4 UTF-8 bytes
 * (about the ratio of English under modern BPE vocabularies). With `limit`, it stops once it has more
 * than `limit` ids, so an oversized prompt is found too long without tokenizing all of it.
 * @example builtinTokenize("baba keko hello").length // 1 + 1 + 2 = 4
 */
export function builtinTokenize(text: string, limit = Number.POSITIVE_INFINITY): number[] {
  const ids: number[] = [];
  const pieces = /\S+/g;
  for (let m = pieces.exec(text); m !== null && ids.length <= limit; m = pieces.exec(text)) {
    const piece = m[0];
    const id = WORD_IDS.get(piece);
    if (id !== undefined) ids.push(id);
    else pushByteChunks(piece, ids);
  }
  return ids;
}

/** One id per 4 UTF-8 bytes of a piece outside the vocabulary (FNV-1a of the bytes). */
function pushByteChunks(piece: string, ids: number[]): void {
  const ascii = isAscii(piece);
  const bytes = ascii ? undefined : encoder.encode(piece);
  const length = bytes ? bytes.length : piece.length;
  for (let i = 0; i < length; i += BYTE_CHUNK) {
    let h = 2166136261;
    const end = Math.min(i + BYTE_CHUNK, length);
    for (let j = i; j < end; j++)
      h = Math.imul(h ^ (bytes ? bytes[j]! : piece.charCodeAt(j)), 16777619) >>> 0;
    ids.push(BUILTIN_WORDS.length + (h % CHUNK_ID_SPACE));
  }
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
