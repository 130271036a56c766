import { builtinTokenize, BUILTIN_WORDS as CORE_WORDS } from "@infermark/core";
import type { Rng } from "../rng.js";
import type { Tokenizer } from "./types.js";

/** The built-in vocabulary (core's `BUILTIN_WORDS`), re-exported under the bench package's name. */
export const BUILTIN_WORDS: readonly string[] = CORE_WORDS;

/**
 * The offline default tokenizer: deterministic, no files, no downloads. A built-in vocabulary word
 * is one token; any other whitespace-separated piece is one token per 4 UTF-8 bytes (about the
 * ratio of English under modern BPE vocabularies). Random prompts use vocabulary words only, so
 * their length is exact under this tokenizer and approximate under the server's.
 * @example await builtinTokenizer().count("baba keko hello") // 1 + 1 + 2 = 4
 */
export function builtinTokenizer(): Tokenizer {
  const encodeSync = (text: string): number[] => builtinTokenize(text);
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
