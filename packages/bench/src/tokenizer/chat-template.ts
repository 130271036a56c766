import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Template } from "@huggingface/jinja";
import { TokenizerError } from "../errors.js";
import type { ChatMessage } from "../workload/types.js";

/** A model's chat template, as Hugging Face's `apply_chat_template` applies it. */
export interface ChatTemplate {
  /** The file it was read from: `chat_template.jinja` or `tokenizer_config.json`. */
  readonly source: string;
  /**
   * The messages as the model sees them, the assistant's turn opened (`add_generation_prompt`).
   * Throws a one-line `TokenizerError` when the template does not parse or render.
   */
  render(messages: readonly ChatMessage[]): string;
}

/**
 * Reads the chat template beside a tokenizer.json: `chat_template.jinja` (newer checkpoints;
 * it wins over the config, as in transformers), else `chat_template` in `tokenizer_config.json`
 * (a string, or a list of `{name, template}` of which `default` is used). The template is
 * rendered with the config's special tokens (`bos_token`, `eos_token`, ...) and parsed on first use,
 * so a broken template only matters to runs that render it.
 * @example const t = await loadChatTemplate("/models/qwen", config); t?.render([{ role: "user", content: "hi" }])
 */
export async function loadChatTemplate(
  dir: string,
  config: Record<string, unknown>,
): Promise<ChatTemplate | undefined> {
  const jinjaPath = join(dir, "chat_template.jinja");
  const configPath = join(dir, "tokenizer_config.json");
  const fromFile = await readFile(jinjaPath, "utf8").catch(() => undefined);
  const text = fromFile ?? configTemplate(config.chat_template);
  if (text === undefined) return undefined;
  const source = fromFile === undefined ? configPath : jinjaPath;
  const context = specialTokens(config);
  let template: Template | undefined;
  return {
    source,
    render(messages) {
      try {
        if (text instanceof Error) throw text;
        template ??= new Template(text);
        return template.render({ ...context, messages, add_generation_prompt: true });
      } catch (error) {
        const reason = (error as Error).message.split("\n")[0];
        throw new TokenizerError(
          `--tokenizer: the chat template in ${source} does not render (${reason}); fix or remove it (input tokens are then counted from the prompt text alone)`,
          { cause: error },
        );
      }
    },
  };
}

/** The config's template text; an Error (thrown when rendered) for a value transformers would refuse too. */
function configTemplate(value: unknown): string | Error | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const named = value.find((t) => (t as { name?: unknown })?.name === "default") as
      | { template?: unknown }
      | undefined;
    if (typeof named?.template === "string") return named.template;
  }
  return new Error(
    'chat_template is neither a string nor a list with a {name: "default"} template',
  );
}

/** `bos_token`, `eos_token`, ... as strings: a config gives each as text or as an AddedToken `{content}`. */
function specialTokens(config: Record<string, unknown>): Record<string, string> {
  const tokens: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (!key.endsWith("_token")) continue;
    const content = typeof value === "string" ? value : (value as { content?: unknown })?.content;
    if (typeof content === "string") tokens[key] = content;
  }
  return tokens;
}
