import type { Rng } from "../rng.js";

/**
 * Counts and converts text the way a model does. Local tokenizers answer at once; the server's
 * `/tokenize` answers over HTTP, so the interface is asynchronous.
 */
export interface Tokenizer {
  /** `builtin`, `hf:<path>` or `server:<url>`. */
  readonly name: string;
  encode(text: string): Promise<number[]>;
  count(text: string): Promise<number>;
  /** Text of token ids; absent where the tokenizer cannot decode. */
  decode?(ids: readonly number[]): Promise<string>;
  /** `n` ordinary (non-special) token ids drawn uniformly, for random prompts. */
  sampleIds?(n: number, rng: Rng): number[];
}
