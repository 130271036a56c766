import type { RequestRecord } from "@infermark/core";
import type { SentRequest } from "../load/run-level.js";
import type { Tokenizer } from "../tokenizer/types.js";

/**
 * Turns the requests of a level into RequestRecords: prompt and output token counts with their
 * source (server usage first, else the run's tokenizer). Re-tokenizing happens here, after the
 * level, never while measuring. `recount` also re-tokenizes outputs that have usage, so the
 * difference can be reported (worth it only with the model's own tokenizer).
 */
export async function buildRecords(
  sent: readonly SentRequest[],
  tokenizer: Tokenizer,
  recount: boolean,
): Promise<RequestRecord[]> {
  const records: RequestRecord[] = [];
  for (const s of sent) {
    const o = s.outcome;
    const r: RequestRecord = {
      index: s.index,
      warmup: s.warmup,
      tSched: s.tSched,
      tSend: o.tSend,
      tEnd: o.tEnd,
      events: o.events,
      requestedOutputTokens: s.item.maxTokens,
    };
    if (o.usage.promptTokens !== undefined) {
      r.promptTokens = o.usage.promptTokens;
      r.promptTokensSource = "usage";
    } else if (s.item.promptTokens !== undefined) {
      r.promptTokens = s.item.promptTokens;
      r.promptTokensSource = "tokenizer";
    }
    if (o.usage.cachedTokens !== undefined) r.cachedPromptTokens = o.usage.cachedTokens;
    if (!o.failure) {
      if (o.usage.completionTokens !== undefined) {
        r.outputTokens = o.usage.completionTokens;
        r.outputTokensSource = "usage";
        r.outputTokensUsage = o.usage.completionTokens;
        if (recount && o.text.length > 0) r.outputTokensTokenizer = await tokenizer.count(o.text);
      } else if (o.text.length > 0) {
        r.outputTokensTokenizer = await tokenizer.count(o.text);
        r.outputTokens = r.outputTokensTokenizer;
        r.outputTokensSource = "tokenizer";
      }
    } else {
      r.error = { category: o.failure.category, message: o.failure.message };
      if (o.failure.status !== undefined) r.error.status = o.failure.status;
    }
    if (s.item.session !== undefined) r.session = s.item.session;
    if (s.item.turn !== undefined) r.turn = s.item.turn;
    records.push(r);
  }
  return records;
}
