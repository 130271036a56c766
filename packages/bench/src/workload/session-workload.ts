import { now } from "../clock.js";
import { createRng, type Rng } from "../rng.js";
import type { ChatMessage, WorkItem, Workload, WorkloadInfo, WorkResult } from "./types.js";

/** One user turn of a session: what the user says and the output asked for in reply. */
export interface SessionTurn {
  user: string;
  maxTokens: number;
}

/** The user side of one session, in order; the assistant side is whatever the server answers. */
export interface SessionScript {
  turns: SessionTurn[];
  /** This session's own system prompt, sent first in every turn (instead of the workload's shared one). */
  system?: string;
}

/** How think times are drawn around their mean. */
export type ThinkTimeKind = "fixed" | "exponential";

/** Options of a session (multi-turn) workload. */
export interface SessionWorkloadOptions {
  /** What the workload reports about itself (kind "session"). */
  info: WorkloadInfo;
  /** A system prompt sent first in every session (shared by all sessions). */
  system?: string;
  /** The script of the `index`-th session started (0, 1, ...); the same index must give the same script. */
  script(index: number): SessionScript | Promise<SessionScript>;
  /** Mean think time (ms, the engine's under a time scale) between a response and the next turn. @default 0 */
  thinkTimeMs?: number;
  /** @default "fixed" */
  thinkTime?: ThinkTimeKind;
  /** Wall-clock ms per think-time ms: `1 / timeScale` against a simulator that runs K times faster. @default 1 */
  wallClockPerMs?: number;
  /** Seeds the think times (each session draws its own from the seed and its index). @default 0 */
  seed?: number;
}

interface Session {
  id: string;
  script: SessionScript;
  /** Index into `script.turns` of the turn to send next. */
  turn: number;
  history: ChatMessage[];
  rng: Rng;
  readyAt?: number;
  /** The turn last answered, while the session waits to go on (the key of `continuing`). */
  answered?: WorkItem;
}

/**
 * A multi-turn workload: each session sends its user turns one after the other, each request carrying the
 * whole conversation so far (the system prompt, every earlier user turn and the assistant's actual reply), after
 * a think time that starts when the previous reply ends. `next()` continues a session whose reply came back
 * (with `notBefore` at the end of its think time), else starts a new one, so a closed loop of C slots keeps C
 * sessions going and replaces each finished one. A failed turn ends its session. Each level (`prepare`) starts
 * afresh; the same seed gives the same sessions in the same order.
 * @example
 * const w = sessionWorkload({ info, script: () => ({ turns: [{ user: "hi", maxTokens: 8 }] }), thinkTimeMs: 500 });
 */
export function sessionWorkload(options: SessionWorkloadOptions): Workload & {
  prepare(count: number): Promise<void>;
} {
  const thinkMs = options.thinkTimeMs ?? 0;
  const kind = options.thinkTime ?? "fixed";
  const wall = options.wallClockPerMs ?? 1;
  const seed = options.seed ?? 0;
  /** Scripts built ahead (by `prepare`, or the next session's while one starts: a promise until built). */
  const prepared = new Map<number, SessionScript | Promise<SessionScript>>();
  const pending = new Map<WorkItem, Session>();
  /** Sessions whose answered turn was this item and that go on (for `continueSession`). */
  const continuing = new Map<WorkItem, Session>();
  let ready: Session[] = [];
  let started = 0;

  const scriptOf = (index: number): SessionScript | Promise<SessionScript> => {
    const script = prepared.get(index);
    if (!script) return options.script(index);
    prepared.delete(index);
    return script;
  };

  const begin = (index: number, script: SessionScript): Session => ({
    id: `s${index}`,
    script,
    turn: 0,
    history: systemMessage(script.system ?? options.system),
    // apart from the seed the script's own draws may use
    rng: createRng(sessionSeed(seed, index) ^ 0x6b43a9b5),
  });

  const turnItem = (s: Session): WorkItem => {
    const turn = s.script.turns[s.turn]!;
    const item: WorkItem = {
      messages: [...s.history, { role: "user", content: turn.user }],
      maxTokens: turn.maxTokens,
      session: s.id,
      turn: s.turn + 1,
    };
    if (s.readyAt !== undefined) item.notBefore = s.readyAt;
    pending.set(item, s);
    return item;
  };

  const drawThink = (rng: Rng) => (kind === "exponential" ? rng.exponential(thinkMs) : thinkMs);

  const startSession = () => {
    const index = started++;
    const script = scriptOf(index);
    // build the next session's script now, off the send path: an open loop starts more sessions than the level
    // prepared (later ones end early at the level's bound), and an arrival should not wait for its tokenizing
    if (!prepared.has(started)) {
      const next = started;
      const ahead = (async () => options.script(next))();
      // a failure surfaces when that session starts, not as an unhandled rejection if it never does
      ahead.catch(() => {});
      prepared.set(next, ahead);
    }
    return script instanceof Promise
      ? script.then((s) => turnItem(begin(index, s)))
      : turnItem(begin(index, script));
  };

  // the same object as options.info: a source may fill in its lengths as it builds sessions
  const info = Object.assign(options.info, { thinkTimeMs: thinkMs, thinkTime: kind });
  return {
    info,
    async prepare(count: number) {
      // a level starts with new sessions; the previous level's unfinished ones are dropped
      ready = [];
      continuing.clear();
      let turns = 0;
      for (let i = started; turns < count; i++) {
        let script = await prepared.get(i);
        if (!script) {
          script = await options.script(i);
          prepared.set(i, script);
        }
        turns += script.turns.length;
      }
    },
    next() {
      const waiting = ready.shift();
      if (waiting) {
        if (waiting.answered) continuing.delete(waiting.answered);
        return turnItem(waiting);
      }
      return startSession();
    },
    startSession,
    continueSession(item: WorkItem) {
      const s = continuing.get(item);
      if (!s) return undefined;
      continuing.delete(item);
      s.answered = undefined;
      // its own runner continues it, not whoever asks `next()`
      ready.splice(ready.indexOf(s), 1);
      return turnItem(s);
    },
    complete(result: WorkResult) {
      const s = pending.get(result.item);
      if (!s) return;
      pending.delete(result.item);
      // a failed turn ends its session: the next turn would carry a reply that never came
      if (result.record.error) return;
      const turn = s.script.turns[s.turn]!;
      s.history.push(
        { role: "user", content: turn.user },
        { role: "assistant", content: result.text },
      );
      s.turn++;
      if (s.turn >= s.script.turns.length) return;
      s.readyAt = now() + drawThink(s.rng) * wall;
      ready.push(s);
      s.answered = result.item;
      continuing.set(result.item, s);
    },
  };
}

const systemMessage = (system: string | undefined): ChatMessage[] =>
  system ? [{ role: "system", content: system }] : [];

/** The seed of one session's own draws, from the run's seed and the session's index. */
export function sessionSeed(seed: number, index: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}
