import { BenchOptionError } from "../errors.js";
import type { Tokenizer } from "../tokenizer/types.js";
import type { ChatMessage } from "./types.js";

/**
 * Prompts wrapped client-side in the model's chat template (`--use-chat-template`), as InferenceX's client
 * (`benchmark_serving.py --use-chat-template`, which its MTP runs use) does: each prompt becomes one user message,
 * rendered with the generation prompt added, and that text is what `/v1/completions` receives.
 */
export interface PromptTemplate {
  /** The template's file (`chat_template.jinja` or `tokenizer_config.json`). */
  readonly source: string;
  /**
   * Tokens the template adds around one prompt, as InferenceX counts them: a user message "a" rendered and tokenized
   * (special tokens one each, none added), less one. The random workload takes them off the ISL, so a rendered
   * prompt is as long as the ISL asks.
   */
  readonly tokens: number;
  /** A prompt as one user message, rendered. */
  wrap(prompt: string): string;
  /** A conversation rendered as it is (a JSONL entry's own messages). */
  render(messages: readonly ChatMessage[]): string;
}

/** The workloads of single requests, whose prompts can be wrapped; a session's or a trace's cannot. */
const TEMPLATED_WORKLOADS: readonly string[] = ["random", "sharegpt", "jsonl"];

const NEEDS_TEMPLATE =
  "--use-chat-template needs the model's chat template: give --tokenizer <path to the model's tokenizer.json> with chat_template.jinja, or tokenizer_config.json holding chat_template, beside it";

/**
 * The option checks of `useChatTemplate`, made when the options are resolved: the completions API (the chat API's
 * server applies its template itself), a workload of single requests, and a local tokenizer.json (the builtin
 * tokenizer has no template, and a server's `/tokenize` does not give the rendered text).
 * @example checkPromptTemplate({ api: "chat", workload: "random", tokenizer: "t.json" }) // throws BenchOptionError
 */
export function checkPromptTemplate(o: { api: string; workload: string; tokenizer: string }): void {
  if (o.api !== "completions")
    throw new BenchOptionError(
      `--use-chat-template applies to --api completions, not ${o.api}: the chat API's server applies the model's chat template itself`,
    );
  if (!TEMPLATED_WORKLOADS.includes(o.workload))
    throw new BenchOptionError(
      `--use-chat-template applies to the random, sharegpt and jsonl workloads, not ${o.workload}${o.workload === "multi-turn" ? " (--api chat has the server render each conversation)" : ""}`,
    );
  if (o.tokenizer === "builtin" || o.tokenizer === "server")
    throw new BenchOptionError(`${NEEDS_TEMPLATE}, not --tokenizer ${o.tokenizer}`);
}

/**
 * The chat template of the run's tokenizer, ready to wrap prompts, with the tokens it adds around one. Throws a
 * one-line `BenchOptionError` when the tokenizer has no local template, or when the template cannot render a user
 * message.
 * @example const t = await promptTemplate(await loadHfTokenizer("/models/dsr1/tokenizer.json")); t.wrap("hi")
 */
export async function promptTemplate(tokenizer: Tokenizer): Promise<PromptTemplate> {
  const source = tokenizer.chatTemplate;
  if (!tokenizer.renderChat || source === undefined) {
    const path = tokenizer.name.replace(/^hf:/, "");
    throw new BenchOptionError(
      tokenizer.name.startsWith("hf:")
        ? `${NEEDS_TEMPLATE}; there is none beside ${path}`
        : `${NEEDS_TEMPLATE}, not --tokenizer ${tokenizer.name}`,
    );
  }
  const render = (messages: readonly ChatMessage[]) => tokenizer.renderChat!(messages);
  let probe: string;
  try {
    probe = render([{ role: "user", content: "a" }]);
  } catch (error) {
    const cause = (error as Error).cause as Error | undefined;
    const reason = String(cause?.message ?? (error as Error).message).split("\n")[0];
    throw new BenchOptionError(
      `--use-chat-template: the chat template in ${source} does not render a user message (${reason}); fix it, or leave --use-chat-template out`,
    );
  }
  const tokens = Math.max(0, (await tokenizer.encode(probe)).length - 1);
  return {
    source,
    tokens,
    wrap: (prompt) => render([{ role: "user", content: prompt }]),
    render,
  };
}
