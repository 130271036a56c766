import type { Rng } from "../rng.js";
import type { ChatMessage } from "../workload/types.js";

/**
 * Counts and converts text the way a model does. Local tokenizers answer at once; the server's
 * `/tokenize` answers over HTTP, so the interface is asynchronous.
 */
export interface Tokenizer {
  /** `builtin`, `hf:<absolute path>` (a tokenizer.json or a model folder), `hf:org/name@<rev>` (a cached Hugging Face id) or `server:<url>`. */
  readonly name: string;
  encode(text: string): Promise<number[]>;
  count(text: string): Promise<number>;
  /**
   * Where the chat template was read from, or `server` when the server's `/tokenize` applies its
   * own; absent when the tokenizer has none.
   */
  readonly chatTemplate?: string;
  /**
   * Why chat messages are counted from their prompt text though a chat template was asked for
   * (the server's `/tokenize` refused messages); absent otherwise.
   */
  readonly chatFallbackReason?: string;
  /**
   * Tokens of chat messages as the model sees them: rendered with the chat template (generation
   * prompt added), special tokens one each, no BOS added again. Absent without a chat template.
   */
  countChat?(messages: readonly ChatMessage[]): Promise<number>;
  /**
   * Chat messages as text, rendered with a local chat template and the generation prompt added, as Hugging Face's
   * `apply_chat_template(messages, add_generation_prompt=True, tokenize=False)`; special tokens the template writes
   * (`{{ bos_token }}`) are in the text. Absent without a local chat template (the builtin tokenizer, the server's).
   */
  renderChat?(messages: readonly ChatMessage[]): string;
  /** Text of token ids; absent where the tokenizer cannot decode. */
  decode?(ids: readonly number[]): Promise<string>;
  /** `n` ordinary (non-special) token ids drawn uniformly, for random prompts. */
  sampleIds?(n: number, rng: Rng): number[];
}
