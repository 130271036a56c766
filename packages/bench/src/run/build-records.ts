import type { RequestRecord } from "@infermark/core";
import { eventLogFor, withEvents } from "../client/event-log.js";
import { chatMessages } from "../client/request-body.js";
import type { SentRequest } from "../load/run-level.js";
import type { Tokenizer } from "../tokenizer/types.js";
import type { WorkItem } from "../workload/types.js";

/** How a level's token counts are taken when the server gives no usage. */
export interface RecordCounting {
  /** Re-tokenize outputs that have usage too, so the difference can be reported. */
  recount: boolean;
  /** Count input tokens as the chat template renders the messages (the chat API, a tokenizer with a template). */
  chatTemplate: boolean;
}

/** A level's records, and the chat template's failures on some of its requests' messages. */
export interface LevelRecords {
  records: RequestRecord[];
  /** The template's error for each request it could not render (its input counted from the prompt text). */
  templateFailures: string[];
}

/**
 * Turns the requests of a level into RequestRecords: prompt and output token counts with their
 * source (server usage first, else the run's tokenizer: for chat, of the messages rendered with
 * the chat template when the tokenizer has one). Re-tokenizing happens here, after the level,
 * never while measuring. `recount` is worth it only with the model's own tokenizer.
 */
export async function buildRecords(
  sent: readonly SentRequest[],
  tokenizer: Tokenizer,
  counting: RecordCounting,
): Promise<LevelRecords> {
  const records: RequestRecord[] = [];
  const templateFailures: string[] = [];
  const inputTokens = async (item: WorkItem): Promise<number | undefined> => {
    if (!counting.chatTemplate || !tokenizer.countChat)
      return item.promptTokens ?? textTokens(item);
    try {
      return await tokenizer.countChat(chatMessages(item));
    } catch (error) {
      const { cause } = error as Error;
      templateFailures.push(String((cause as Error)?.message ?? error).split("\n")[0]!);
      return item.promptTokens ?? textTokens(item);
    }
  };
  // a session's turn is counted here, after the level: its history holds replies not known before
  const textTokens = async (item: WorkItem): Promise<number | undefined> => {
    if (Array.isArray(item.prompt)) return item.prompt.length;
    const text = item.prompt ?? item.messages?.map((m) => m.content).join("\n");
    return text === undefined ? undefined : tokenizer.count(text);
  };
  for (const s of sent) {
    const o = s.outcome;
    // the events stay packed; the record reads them as objects when it is aggregated or written
    const r: RequestRecord = withEvents(
      {
        index: s.index,
        warmup: s.warmup,
        tSched: s.tSched,
        tSend: o.tSend,
        tEnd: o.tEnd,
        requestedOutputTokens: s.item.maxTokens,
      } as Omit<RequestRecord, "events">,
      eventLogFor(o),
    );
    const promptTokens = o.usage.promptTokens ?? (await inputTokens(s.item));
    if (promptTokens !== undefined) {
      r.promptTokens = promptTokens;
      r.promptTokensSource = o.usage.promptTokens !== undefined ? "usage" : "tokenizer";
    }
    if (o.usage.cachedTokens !== undefined) r.cachedPromptTokens = o.usage.cachedTokens;
    if (!o.failure) {
      const usage = o.usage.completionTokens;
      // a reply that carried text has a token at least: a usage of 0 beside it is a server that does not count
      // (vLLM's client reads a 0 as no count too), kept to be reported beside the tokenizer's
      if (usage !== undefined && (usage > 0 || o.text.length === 0)) {
        r.outputTokens = usage;
        r.outputTokensSource = "usage";
        r.outputTokensUsage = usage;
        if (counting.recount && o.text.length > 0)
          r.outputTokensTokenizer = await tokenizer.count(o.text);
      } else if (o.text.length > 0) {
        if (usage !== undefined) r.outputTokensUsage = usage;
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
  return { records, templateFailures };
}
