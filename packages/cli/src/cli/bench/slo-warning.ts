/**
 * The most each SLO flag can plausibly mean in seconds, its unit: a TTFT over a minute, a TPOT over a second (one
 * token per second per user) or an E2EL over 10 minutes (bench's default request timeout) bounds no service anyone
 * offers, and is most likely milliseconds, as vLLM's `--goodput ttft:500` takes them.
 */
const PLAUSIBLE_S = [
  ["--slo-ttft", "sloTtft", "TTFT", 60],
  ["--slo-tpot", "sloTpot", "TPOT", 1],
  ["--slo-e2el", "sloE2el", "E2EL", 600],
] as const;

/**
 * One warning line for SLO flags whose value reads as milliseconds (over `PLAUSIBLE_S`), with the seconds they would
 * be; undefined when none does. The values are used as given: a long SLO may be meant.
 * @example sloUnitWarning({ sloTtft: 500 }) // "infermark: warning: --slo-ttft 500 is seconds (TTFT over 60 s is ..."
 */
export function sloUnitWarning(flags: {
  sloTtft?: number;
  sloTpot?: number;
  sloE2el?: number;
}): string | undefined {
  const odd = PLAUSIBLE_S.filter(([, key, , max]) => (flags[key] ?? 0) > max);
  if (odd.length === 0) return undefined;
  const given = odd.map(([flag, key]) => `${flag} ${flags[key]}`);
  const limits = odd.map(([, , name, max]) => `${name} over ${max} s`).join(" or ");
  const ms = odd.map(([flag, key]) => `${flag} ${flags[key]! / 1000}`).join(" ");
  return `infermark: warning: ${given.join(" and ")} ${odd.length === 1 ? "is" : "are"} seconds (${limits} is no service level): for milliseconds give ${ms}`;
}
