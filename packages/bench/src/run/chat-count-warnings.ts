import type { RequestRecord } from "@infermark/core";
import type { ApiKind } from "../backends/types.js";
import type { Tokenizer } from "../tokenizer/types.js";

/**
 * Warnings for a point whose chat input tokens, where the server gave no usage, were counted from
 * the prompt text instead of the chat template: requests whose messages the template could not
 * render, and requests counted so because the server's `/tokenize` refused chat messages at the
 * start of the run. None for other APIs, or when every count came from the server's usage.
 * @example chatCountWarnings("chat", tokenizer, records, []) // ["--tokenizer server: ... refused chat messages (HTTP 400: ...); ..."]
 */
export function chatCountWarnings(
  api: ApiKind,
  tokenizer: Tokenizer,
  records: readonly RequestRecord[],
  templateFailures: readonly string[],
): string[] {
  if (api !== "chat") return [];
  const warnings: string[] = [];
  if (templateFailures.length > 0) {
    warnings.push(
      `the chat template did not render the messages of ${templateFailures.length} request(s) (first: ${templateFailures[0]}); their input tokens count the prompt text alone`,
    );
  }
  const counted = records.filter((r) => !r.warmup && r.promptTokensSource === "tokenizer").length;
  if (tokenizer.chatFallbackReason && counted > 0) {
    warnings.push(
      `${tokenizer.chatFallbackReason}; the input tokens of ${counted} request(s) without usage count the prompt text alone, without the chat template`,
    );
  }
  return warnings;
}
