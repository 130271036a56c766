import { type RequestRecord, requestTiming, summarize } from "@infermark/core";

/** The measured requests of one turn number across sessions. */
export interface TurnStats {
  /** 1 for each session's first turn. */
  turn: number;
  requests: number;
  completed: number;
  /** TTFT (s) of the completed requests. */
  ttftMedianS?: number;
  ttftMeanS?: number;
  /** Input tokens of the requests (the whole history: server usage, else the run's tokenizer). */
  inputTokensMedian?: number;
  inputTokensMean?: number;
  /** Completed requests whose usage gave `cached_tokens` (of `completed`). */
  requestsReportingCached: number;
  /**
   * Median of the prompt tokens the server reported served from its prefix cache (`cached_tokens`), only when every
   * completed request of the turn reported it.
   */
  cachedTokensMedian?: number;
  /**
   * When some request of the point reported `cached_tokens` but not every one of this turn did: the median over the
   * turn's completed requests, one without the field counted as none cached (what Dynamo means by leaving it out).
   */
  cachedTokensMedianUnreportedAsZero?: number;
}

/** What a session point adds to `extra.session`. */
export interface SessionReport {
  /** Sessions with a measured request. */
  sessions: number;
  /** Of those, sessions a failed turn ended. */
  endedByFailure: number;
  /** Measured requests that completed, and of those the ones whose usage gave `cached_tokens`. */
  requestsCompleted: number;
  requestsReportingCached: number;
  /** TTFT median (s) of first turns, and of all later turns together. */
  ttftFirstTurnMedianS?: number;
  ttftLaterTurnsMedianS?: number;
  turns: TurnStats[];
}

/**
 * TTFT and input length by turn over a level's measured requests, so the effect of a prefix cache on later
 * turns (whose history was sent before) shows: their TTFT against the first turns'; and the server's cached tokens,
 * with how many requests reported them.
 * @example sessionReport(records).turns[1].ttftMedianS
 */
export function sessionReport(records: readonly RequestRecord[]): SessionReport {
  const measured = records.filter((r) => !r.warmup && r.turn !== undefined);
  const byTurn = new Map<number, RequestRecord[]>();
  for (const r of measured) {
    const list = byTurn.get(r.turn!);
    if (list) list.push(r);
    else byTurn.set(r.turn!, [r]);
  }
  const ttfts = (rs: readonly RequestRecord[]) =>
    rs.flatMap((r) => {
      const timing = r.error ? undefined : requestTiming(r);
      return timing ? [timing.ttft] : [];
    });
  const completed = measured.filter((r) => !r.error);
  const reporting = completed.filter((r) => r.cachedPromptTokens !== undefined).length;
  const turns = [...byTurn.keys()]
    .sort((a, b) => a - b)
    .map((turn): TurnStats => {
      const rs = byTurn.get(turn)!;
      const ttft = summarize(ttfts(rs));
      const input = summarize(
        rs.flatMap((r) => (r.promptTokens === undefined ? [] : [r.promptTokens])),
      );
      const done = rs.filter((r) => !r.error);
      const reported = done.filter((r) => r.cachedPromptTokens !== undefined);
      // a median of the requests that carried the field alone would describe, against Dynamo, the ones that hit
      const cached =
        reported.length === done.length
          ? summarize(reported.map((r) => r.cachedPromptTokens!))
          : undefined;
      const asZero =
        reporting > 0 && reported.length < done.length
          ? summarize(done.map((r) => r.cachedPromptTokens ?? 0))
          : undefined;
      return {
        turn,
        requests: rs.length,
        completed: done.length,
        ...(ttft ? { ttftMedianS: ttft.median, ttftMeanS: ttft.mean } : {}),
        ...(input ? { inputTokensMedian: input.median, inputTokensMean: input.mean } : {}),
        requestsReportingCached: reported.length,
        ...(cached ? { cachedTokensMedian: cached.median } : {}),
        ...(asZero ? { cachedTokensMedianUnreportedAsZero: asZero.median } : {}),
      };
    });
  const first = summarize(ttfts(measured.filter((r) => r.turn === 1)));
  const later = summarize(ttfts(measured.filter((r) => r.turn! > 1)));
  const failed = new Set(measured.filter((r) => r.error).map((r) => r.session));
  return {
    sessions: new Set(measured.map((r) => r.session)).size,
    requestsCompleted: completed.length,
    requestsReportingCached: reporting,
    endedByFailure: failed.size,
    ...(first ? { ttftFirstTurnMedianS: first.median } : {}),
    ...(later ? { ttftLaterTurnsMedianS: later.median } : {}),
    turns,
  };
}
