import { readFile } from "node:fs/promises";

const TINY = new URL("fixtures/tiny-tokenizer/tokenizer.json", import.meta.url);

/**
 * The tiny test tokenizer.json with ChatML's special tokens added (`<|im_start|>` 35, `<|im_end|>` 36, and `Ċ`, the
 * newline, 37), for tests of chat templates. `bos` adds a post-processor that puts `<|endoftext|>` first, as a model
 * whose tokenizer adds a BOS does.
 * @example await writeFile("tokenizer.json", JSON.stringify(await chatmlTokenizerJson({ bos: true })))
 */
export async function chatmlTokenizerJson(
  o: { bos?: boolean } = {},
): Promise<Record<string, unknown>> {
  const tiny = JSON.parse(await readFile(TINY, "utf8"));
  const added = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const bos = { SpecialToken: { id: "<|endoftext|>", type_id: 0 } };
  return {
    ...tiny,
    added_tokens: [...tiny.added_tokens, added(35, "<|im_start|>"), added(36, "<|im_end|>")],
    ...(o.bos
      ? {
          post_processor: {
            type: "TemplateProcessing",
            single: [bos, { Sequence: { id: "A", type_id: 0 } }],
            pair: [
              bos,
              { Sequence: { id: "A", type_id: 0 } },
              { Sequence: { id: "B", type_id: 1 } },
            ],
            special_tokens: {
              "<|endoftext|>": { id: "<|endoftext|>", ids: [0], tokens: ["<|endoftext|>"] },
            },
          },
        }
      : {}),
    model: {
      ...tiny.model,
      vocab: { ...tiny.model.vocab, "<|im_start|>": 35, "<|im_end|>": 36, Ċ: 37 },
    },
  };
}
