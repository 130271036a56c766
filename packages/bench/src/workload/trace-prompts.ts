import { createRng } from "../rng.js";
import { builtinTokenizer } from "../tokenizer/builtin-tokenizer.js";
import type { Tokenizer } from "../tokenizer/types.js";

/** Mooncake's block: the tokens one hash id stands for. */
export const DEFAULT_TRACE_BLOCK_SIZE = 512;

/** Builds the token ids of trace prompts from their hash ids. */
export interface BlockPrompts {
  /**
   * The prompt of `inputLength` tokens: block k is the block of `hashIds[k]` (the last one cut), and tokens past
   * the hash ids are unique to `record` (its index in the trace).
   */
  ids(record: number, inputLength: number, hashIds: readonly number[]): number[];
  /** The text of token ids (what is sent unless token ids are). */
  decode(ids: readonly number[]): Promise<string>;
}

/**
 * Trace prompts from hash ids: the block of hash id `h` is `blockSize` tokens drawn from the run's tokenizer
 * vocabulary with a generator seeded by (seed, h) alone, so two prompts whose hash ids start alike start with the
 * same tokens (a prefix cache can serve them) and blocks of other ids differ. A tokenizer that cannot sample ids
 * (the server's) gets the builtin vocabulary's words.
 * @example blockPrompts(builtinTokenizer(), 512, 0).ids(0, 700, [7, 9]) // 512 tokens of block 7, 188 of block 9
 */
export function blockPrompts(tokenizer: Tokenizer, blockSize: number, seed: number): BlockPrompts {
  const source = tokenizer.sampleIds && tokenizer.decode ? tokenizer : builtinTokenizer();
  const sample = source.sampleIds!;
  return {
    ids(record, inputLength, hashIds) {
      const out: number[] = [];
      for (let k = 0; out.length < inputLength; k++) {
        const h = hashIds[k];
        // a block's draws depend on its id only; unique filler on the record and the block's place
        const rng = createRng(
          h !== undefined ? mix(seed, h, 0x68617368) : mix(seed, record, k + 1),
        );
        const n = Math.min(blockSize, inputLength - out.length);
        const block = sample(blockSize, rng);
        for (let i = 0; i < n; i++) out.push(block[i]!);
      }
      return out;
    },
    decode: (ids) => source.decode!(ids),
  };
}

/** A 32-bit seed from the run's seed and two integers (each up to 2^53), well mixed. */
function mix(seed: number, a: number, b: number): number {
  let h = fmix(seed >>> 0);
  h = fmix(h ^ (a >>> 0));
  h = fmix(h ^ Math.floor(a / 4294967296));
  return fmix(h ^ (b >>> 0) ^ 0x9e3779b9);
}

function fmix(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
