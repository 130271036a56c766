import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Tokenizer as HfTokenizer } from "@huggingface/tokenizers";
import { TokenizerError } from "../errors.js";
import { loadChatTemplate } from "./chat-template.js";
import { resolveTokenizer, type TokenizerLookup } from "./find-tokenizer-file.js";
import type { Tokenizer } from "./types.js";

/**
 * Loads a local Hugging Face `tokenizer.json` (and `tokenizer_config.json` beside it when present)
 * with the pure-JS `@huggingface/tokenizers`: BPE, WordPiece and Unigram models, no downloads.
 * `spec` is the file, a model's folder holding it, or a Hugging Face id found in the local cache
 * (`resolveTokenizer`); the tokenizer is named by what reproduces it elsewhere: `hf:<absolute path>` of the file or
 * folder, or `hf:org/name@<rev>` for an id, `<rev>` the snapshot read.
 * Counts exclude special tokens the post-processor would add (BOS), as servers count the prompt text.
 * With a chat template beside it (`chat_template.jinja`, or `chat_template` in the config), chat
 * messages are counted as rendered by it, as `apply_chat_template(tokenize=True)` does.
 * @example const t = await loadHfTokenizer("/models/llama/tokenizer.json"); await t.count("hi")
 */
export async function loadHfTokenizer(
  spec: string,
  lookup: TokenizerLookup = {},
): Promise<Tokenizer> {
  const { file: path, source } = await resolveTokenizer(spec, lookup);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new TokenizerError(
      `--tokenizer: cannot read ${path} as tokenizer.json (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  let config: Record<string, unknown> = {};
  try {
    config = JSON.parse(await readFile(join(dirname(path), "tokenizer_config.json"), "utf8"));
  } catch {
    // optional: tokenizer.json alone is enough for counting
  }
  let tok: HfTokenizer;
  try {
    tok = new HfTokenizer(json, config);
  } catch (error) {
    throw new TokenizerError(
      `--tokenizer: ${path} is not a supported tokenizer.json (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  const special = new Set<number>();
  for (const t of (json.added_tokens as { id: number; special?: boolean }[] | undefined) ?? []) {
    if (t.special) special.add(t.id);
  }
  const ordinary = ordinaryIds(json, special);
  const encode = (text: string) => tok.encode(text, { add_special_tokens: false }).ids;
  const template = await loadChatTemplate(dirname(path), config);
  return {
    name: `hf:${source}`,
    encode: async (text) => encode(text),
    count: async (text) => encode(text).length,
    ...(template && {
      chatTemplate: template.source,
      countChat: async (messages) => encode(template.render(messages)).length,
      renderChat: (messages) => template.render(messages),
    }),
    decode: async (ids) => tok.decode([...ids], { skip_special_tokens: true }),
    sampleIds: (n, rng) =>
      Array.from({ length: n }, () => ordinary[rng.int(0, ordinary.length - 1)]!),
  };
}

function ordinaryIds(json: Record<string, unknown>, special: ReadonlySet<number>): number[] {
  const model = json.model as { vocab?: unknown } | undefined;
  const vocab = model?.vocab;
  let ids: number[] = [];
  if (Array.isArray(vocab)) ids = vocab.map((_, i) => i);
  else if (vocab && typeof vocab === "object") ids = Object.values(vocab as Record<string, number>);
  ids = ids.filter((id) => !special.has(id));
  if (ids.length === 0)
    throw new TokenizerError("--tokenizer: tokenizer.json has an empty vocabulary");
  return ids.sort((a, b) => a - b);
}
