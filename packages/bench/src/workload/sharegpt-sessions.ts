import { maxOf } from "@infermark/core";
import { WorkloadFileError } from "../errors.js";
import type { Tokenizer } from "../tokenizer/types.js";
import { type DatasetStats, shareGptEntries, shuffle } from "./file-workload.js";
import { type SessionScript, sessionWorkload, type ThinkTimeKind } from "./session-workload.js";
import type { Workload, WorkloadInfo } from "./types.js";

/** Options of ShareGPT conversations replayed as sessions. */
export interface ShareGptSessionOptions {
  path: string;
  tokenizer: Tokenizer;
  /** Output tokens per turn; otherwise each recorded reply's token length. */
  osl?: number;
  /** At most this many user turns per session. */
  turns?: number;
  /** Shuffle the conversations with this seed (file order without it). */
  seed?: number;
  /** @default 0 */
  thinkTimeMs?: number;
  /** @default "fixed" */
  thinkTime?: ThinkTimeKind;
  /** Wall-clock ms per think-time ms (1 / the time scale). @default 1 */
  wallClockPerMs?: number;
  /** The model's context length: a session stops before the turn whose history could exceed it. */
  maxContext?: number;
}

const USER = new Set(["human", "user"]);
const ASSISTANT = new Set(["gpt", "assistant", "chatgpt", "bard", "model"]);

/**
 * ShareGPT conversations replayed as sessions (as vLLM's multi-turn benchmark replays them): each human turn
 * followed by a reply is one user turn, sent with the history so far, where the assistant's messages are the
 * server's actual replies and the recorded reply only sets `max_tokens` (`osl` overrides it). A conversation's
 * turns are read up to the first break in the human / reply alternation. Texts are tokenized as sessions are
 * built (before each level), not all at once.
 * @example const w = await shareGptSessions({ path: "sharegpt.json", tokenizer, turns: 8 });
 */
export async function shareGptSessions(
  o: ShareGptSessionOptions,
): Promise<Workload & { prepare(count: number): Promise<void> }> {
  const conversations = await readConversations(o);
  if (o.seed !== undefined) shuffle(conversations, o.seed);
  // the lengths of the sessions built so far (the point reports their means)
  const info: WorkloadInfo = {
    kind: "session",
    isl: 0,
    osl: o.osl ?? 0,
    dataset: o.path,
    turns: maxOf(conversations.map((c) => c.pairs.length)),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
  };
  const seen = { turns: 0, user: 0, output: 0 };
  const script = async (index: number): Promise<SessionScript> => {
    const { system, pairs } = conversations[index % conversations.length]!;
    const out: SessionScript = { turns: [], ...(system !== undefined ? { system } : {}) };
    // every turn carries the system message
    let history = system !== undefined ? await o.tokenizer.count(system) : 0;
    for (const [user, reply] of pairs) {
      const { userTokens, maxTokens } = await turnLengths(user, reply, o);
      // the history holds each earlier reply, at most its max_tokens long
      if (out.turns.length > 0 && history + userTokens + maxTokens > (o.maxContext ?? Infinity))
        break;
      history += userTokens + maxTokens;
      out.turns.push({ user, maxTokens });
      seen.turns++;
      seen.user += userTokens;
      seen.output += maxTokens;
    }
    info.isl = Math.round(seen.user / seen.turns);
    info.osl = Math.round(seen.output / seen.turns);
    return out;
  };
  return sessionWorkload({
    info,
    script,
    thinkTimeMs: o.thinkTimeMs ?? 0,
    thinkTime: o.thinkTime ?? "fixed",
    wallClockPerMs: o.wallClockPerMs ?? 1,
    seed: o.seed ?? 0,
  });
}

/** What a lengths-only reading of the conversations needs. */
type ConversationOptions = Pick<ShareGptSessionOptions, "path" | "tokenizer" | "osl" | "turns">;

/** A conversation as sessions replay it: its leading system message, if any, and its (user, reply) pairs. */
interface Conversation {
  system?: string;
  pairs: [string, string][];
}

/**
 * The sessions a ShareGPT file replays, counted and measured as they are built (same parsing, same turn limit):
 * conversations, the most turns of one, the longest last turn (the system message and every user turn and reply
 * of the conversation, which that turn's prompt and output hold), the mean user and output tokens per turn.
 * @example const { requests, longest } = await shareGptSessionStats({ path: "sharegpt.json", tokenizer, turns: 4 });
 */
export async function shareGptSessionStats(o: ConversationOptions): Promise<DatasetStats> {
  const conversations = await readConversations(o);
  let longest = 0;
  const seen = { turns: 0, user: 0, output: 0 };
  for (const { system, pairs } of conversations) {
    let history = system !== undefined ? await o.tokenizer.count(system) : 0;
    for (const [user, reply] of pairs) {
      const { userTokens, maxTokens } = await turnLengths(user, reply, o);
      history += userTokens + maxTokens;
      seen.turns++;
      seen.user += userTokens;
      seen.output += maxTokens;
    }
    longest = Math.max(longest, history);
  }
  return {
    requests: conversations.length,
    turns: maxOf(conversations.map((c) => c.pairs.length)),
    longest,
    isl: Math.round(seen.user / seen.turns),
    osl: Math.round(seen.output / seen.turns),
  };
}

/** The file's conversations, each cut to `turns`; one clear error when there are none. */
async function readConversations(o: ConversationOptions): Promise<Conversation[]> {
  const conversations: Conversation[] = [];
  for await (const entry of shareGptEntries(o.path)) {
    const c = userTurns(entry, o.turns);
    if (c.pairs.length > 0) conversations.push(c);
  }
  if (conversations.length === 0)
    throw new WorkloadFileError(o.path, "holds no conversation with a human turn and a reply");
  return conversations;
}

/** A turn's user tokens, and the output it asks for: `osl`, else the recorded reply's length. */
async function turnLengths(
  user: string,
  reply: string,
  o: ConversationOptions,
): Promise<{ userTokens: number; maxTokens: number }> {
  return {
    userTokens: await o.tokenizer.count(user),
    maxTokens: o.osl ?? Math.max(1, await o.tokenizer.count(reply)),
  };
}

/**
 * A conversation's leading system message, and its (user, reply) pairs from there to the first break in the
 * alternation, at most `limit` of them (the texts of later turns are not kept).
 */
function userTurns(entry: unknown, limit = Number.POSITIVE_INFINITY): Conversation {
  const turns = (entry as { conversations?: { from?: unknown; value?: unknown }[] })?.conversations;
  if (!Array.isArray(turns)) return { pairs: [] };
  const pairs: [string, string][] = [];
  const lead = turns[0];
  const system =
    lead?.from === "system" && typeof lead.value === "string" && lead.value.trim() !== ""
      ? lead.value
      : undefined;
  const first = lead?.from === "system" ? 1 : 0;
  for (let i = first; i + 1 < turns.length && pairs.length < limit; i += 2) {
    const user = turns[i];
    const reply = turns[i + 1];
    if (!USER.has(String(user?.from)) || !ASSISTANT.has(String(reply?.from))) break;
    if (typeof user?.value !== "string" || typeof reply?.value !== "string") break;
    if (user.value.trim().length === 0) break;
    pairs.push([user.value, reply.value]);
  }
  return system !== undefined ? { system, pairs } : { pairs };
}
