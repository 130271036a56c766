/** Where a completion ends on a stop string. */
export interface StopMatch {
  /** The tokens generated, the one that completed the stop string last. */
  tokens: number;
  /** The text sent: up to the stop string, or through it with `include_stop_str_in_output`. */
  text: string;
  /** The stop string matched: the choice's `stop_reason`. */
  stop: string;
}

/**
 * The first token of a completion at which one of `stops` appears, as vLLM's detokenizer finds it: after each
 * token past `minTokens` it searches the new text (and the stop string's length minus one before it) for each
 * stop string in the order given, and the first found ends the completion, cut at its start (`includeStop`: its
 * end). `pieces` is the text of each token; undefined when no stop string appears.
 * @example findStop([" baba", " keko"], ["ke"], 0, false) // { tokens: 2, text: " baba ", stop: "ke" }
 */
export function findStop(
  pieces: readonly string[],
  stops: readonly string[],
  minTokens: number,
  includeStop: boolean,
): StopMatch | undefined {
  if (stops.length === 0) return undefined;
  let text = "";
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    text += piece;
    if (i < minTokens || piece.length === 0) continue;
    for (const stop of stops) {
      const at = text.indexOf(stop, Math.max(0, text.length + 1 - piece.length - stop.length));
      if (at === -1) continue;
      return { tokens: i + 1, text: text.slice(0, includeStop ? at + stop.length : at), stop };
    }
  }
  return undefined;
}
