import type { CompareBar } from "./compare-bars.js";

/** One entry of the compare view's A and B pickers. */
export interface PairChoice {
  value: string;
  label: string;
  /** why it cannot be chosen (its tooltip) */
  title?: string;
  disabled?: boolean;
}

/**
 * The entries of the A and B pickers: "(none)", then the groups with a value at the target (`at`, as
 * `50.0 tok/s/user`), in the bars' order: a ratio needs a value on both sides, and offering the others only led to
 * "no value at the target". A group already chosen that has none here (a link's, or chosen at another target)
 * stays listed, disabled, saying so, so the picker shows the choice the ratio line explains.
 * @example pairChoices(result.bars, state.pair, "50.0 tok/s/user")
 */
export function pairChoices(
  bars: readonly CompareBar[],
  pair: readonly string[],
  at: string,
): PairChoice[] {
  const chosen = new Set(pair.filter(Boolean));
  const choices: PairChoice[] = [{ value: "", label: "(none)" }];
  for (const b of bars) {
    if (b.value !== undefined) choices.push({ value: b.key, label: b.label });
    else if (chosen.has(b.key))
      choices.push({
        value: b.key,
        label: `${b.label} (no value at ${at})`,
        ...(b.reason ? { title: b.reason } : {}),
        disabled: true,
      });
  }
  return choices;
}
