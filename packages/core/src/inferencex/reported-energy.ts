import type { Energy } from "../schemas/point-result.js";

/**
 * The energy an InferenceX row reports (`avg_power_w`, `joules_per_*`), undefined when it reports none.
 *
 * infermark's joules per input token are the prefill GPUs' energy per input token, and per output token the decode
 * GPUs' (METRICS.md). InferenceX's power schema 2 (`power_metric_schema_version`, 2026-08) makes its unprefixed
 * `joules_per_*` whole-deployment figures and gives the roles' as `prefill_joules_per_input_token` and
 * `decode_joules_per_output_token`; a disaggregated row's per-input and per-output figures are taken from those, and
 * left out where a schema-2 row lacks them. Rows before schema 2 gave the roles' figures unprefixed. Aggregated
 * rows serve both roles on all GPUs, where the two readings agree. `power_valid` 0 marks the energy invalid.
 * @example reportedEnergy({ avg_power_w: 640, joules_per_total_token: 0.6 }, false) // { kind: "reported", avgPowerW: 640, ... }
 */
export function reportedEnergy(
  m: Record<string, unknown>,
  disaggregated: boolean,
): Energy | undefined {
  const num = (k: string) =>
    typeof m[k] === "number" && Number.isFinite(m[k]) ? (m[k] as number) : undefined;
  const avgPowerW = num("avg_power_w");
  const jTotal = num("joules_per_total_token");
  if (avgPowerW === undefined && jTotal === undefined) return undefined;
  const wholeDeployment = (num("power_metric_schema_version") ?? 0) >= 2;
  const role = (roleKey: string, key: string) =>
    num(roleKey) ?? (disaggregated && wholeDeployment ? undefined : num(key));
  const jIn = disaggregated
    ? role("prefill_joules_per_input_token", "joules_per_input_token")
    : num("joules_per_input_token");
  const jOut = disaggregated
    ? role("decode_joules_per_output_token", "joules_per_output_token")
    : num("joules_per_output_token");
  const invalid = num("power_valid") === 0;
  return {
    kind: "reported",
    ...(avgPowerW !== undefined ? { avgPowerW } : {}),
    ...(jTotal !== undefined ? { jPerTotalToken: jTotal } : {}),
    ...(jIn !== undefined ? { jPerInputToken: jIn } : {}),
    ...(jOut !== undefined ? { jPerOutputToken: jOut } : {}),
    valid: !invalid,
    reasons: invalid ? ["InferenceX marks the power measurement invalid (power_valid 0)"] : [],
  };
}
