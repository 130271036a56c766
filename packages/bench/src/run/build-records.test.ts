import { describe, expect, it } from "vitest";
import { EventLog } from "../client/event-log.js";
import { makeOutcome } from "../client/outcome-codec.js";
import type { SentRequest } from "../load/run-level.js";
import { builtinTokenizer } from "../tokenizer/builtin-tokenizer.js";
import { buildRecords } from "./build-records.js";

/** A completed streamed reply of two content events, "alpha" and " beta", with the usage given. */
function reply(usage: { promptTokens?: number; completionTokens?: number }): SentRequest {
  const log = EventLog.of([
    { t: 10, kind: "role" },
    { t: 20, kind: "content" },
    { t: 30, kind: "content" },
    { t: 31, kind: "done" },
  ]);
  return {
    index: 0,
    warmup: false,
    tSched: 0,
    item: { prompt: "a b", maxTokens: 8 },
    outcome: makeOutcome({ tSend: 1, tEnd: 31, usage }, log, "alpha beta"),
  };
}

const count = (usage: Parameters<typeof reply>[0]) =>
  buildRecords([reply(usage)], builtinTokenizer(), { recount: false, chatTemplate: false });

describe("buildRecords output tokens", () => {
  it("takes the server's usage count when it gives one", async () => {
    const { records } = await count({ promptTokens: 4, completionTokens: 2 });
    expect(records[0]).toMatchObject({
      outputTokens: 2,
      outputTokensSource: "usage",
      outputTokensUsage: 2,
    });
    expect(records[0]!.outputTokensTokenizer).toBeUndefined();
  });

  it("re-tokenizes the text when the usage counts no output beside generated text, and keeps both counts", async () => {
    // a reply that carried text has a token at least: a 0 is a server that does not count, not an empty reply
    // (vLLM's client reads a 0 as no count too); the builtin tokenizer makes "alpha beta" 2 + 1 tokens
    const { records } = await count({ promptTokens: 4, completionTokens: 0 });
    expect(records[0]).toMatchObject({
      outputTokens: 3,
      outputTokensSource: "tokenizer",
      outputTokensTokenizer: 3,
      outputTokensUsage: 0,
      promptTokens: 4,
      promptTokensSource: "usage",
    });
  });

  it("re-tokenizes the text when the server gives no usage", async () => {
    const { records } = await count({});
    expect(records[0]).toMatchObject({ outputTokens: 3, outputTokensSource: "tokenizer" });
    expect(records[0]!.outputTokensUsage).toBeUndefined();
  });
});
