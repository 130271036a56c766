import type { Energy, PowerSample } from "../schemas/point-result.js";

/** The largest sample gap (ms) METRICS.md allows inside a measured window. */
export const MAX_POWER_SAMPLE_GAP_MS = 3000;

/** What measured-energy integration needs: the samples, the measured window, the GPUs and the tokens. */
export interface MeasuredEnergyInput {
  samples: readonly PowerSample[];
  /** the measured window on the samples' clock (ms): first measured send to last measured completion */
  window: { startMs: number; endMs: number };
  /** GPUs of the configuration (topology.gpus) */
  gpus: number;
  /** tokens of the completed measured requests */
  tokens?: { input: number; output: number };
  /** which GPU ids do prefill and decode; @default every GPU does both (aggregated serving) */
  roles?: { prefill: readonly number[]; decode: readonly number[] };
  /** @default MAX_POWER_SAMPLE_GAP_MS */
  maxGapMs?: number;
  /** sampler name, recorded (nvidia-smi, amd-smi, dcgm) */
  sampler?: string;
}

/**
 * Energy of one GPU over [start, end] by the trapezoid rule on its samples (sorted by time), with the power
 * interpolated linearly at the window's edges; undefined when the samples do not bracket the window.
 */
function integrateGpu(
  samples: readonly PowerSample[],
  start: number,
  end: number,
): { joules: number; maxGap: number } | undefined {
  const n = samples.length;
  if (n < 2 || samples[0]!.t > start || samples[n - 1]!.t < end) return undefined;
  let joules = 0;
  let maxGap = 0;
  for (let i = 0; i + 1 < n; i++) {
    const a = samples[i]!;
    const b = samples[i + 1]!;
    if (b.t <= start || a.t >= end) continue;
    maxGap = Math.max(maxGap, b.t - a.t);
    if (b.t === a.t) continue;
    const at = (t: number) => a.watts + ((b.watts - a.watts) * (t - a.t)) / (b.t - a.t);
    const lo = Math.max(a.t, start);
    const hi = Math.min(b.t, end);
    joules += ((hi - lo) / 1000) * ((at(lo) + at(hi)) / 2);
  }
  return { joules, maxGap };
}

/**
 * Measured energy of a point (METRICS.md): GPU power samples integrated by the trapezoid rule over exactly the
 * measured window, interpolated at its edges, summed over GPUs; J per token = energy / tokens (total on all GPUs,
 * input on prefill GPUs, output on decode GPUs). Invalid, with reasons and no figures, when a sample gap touching
 * the window exceeds 3 s, a GPU's samples do not bracket the window, the number of GPUs sampled differs from
 * the configuration, or a role names a GPU that was not sampled.
 * @example measuredEnergy({ samples, window: { startMs: 0, endMs: 10_000 }, gpus: 8, tokens: { input, output } })
 */
export function measuredEnergy(input: MeasuredEnergyInput): Energy {
  const maxGapMs = input.maxGapMs ?? MAX_POWER_SAMPLE_GAP_MS;
  const { startMs, endMs } = input.window;
  const reasons: string[] = [];
  const base = { kind: "measured" as const, ...(input.sampler ? { sampler: input.sampler } : {}) };
  if (!(endMs > startMs))
    return { ...base, valid: false, reasons: [`empty measured window ${startMs}-${endMs} ms`] };
  const byGpu = new Map<number, PowerSample[]>();
  for (const s of input.samples) {
    const list = byGpu.get(s.gpu) ?? [];
    list.push(s);
    byGpu.set(s.gpu, list);
  }
  if (byGpu.size !== input.gpus)
    reasons.push(`power samples cover ${byGpu.size} GPUs but the configuration has ${input.gpus}`);
  const perGpu = new Map<number, number>();
  for (const [gpu, list] of [...byGpu].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => a.t - b.t);
    const r = integrateGpu(list, startMs, endMs);
    if (!r) {
      reasons.push(`GPU ${gpu}: samples do not bracket the measured window`);
      continue;
    }
    if (r.maxGap > maxGapMs)
      reasons.push(
        // whole ms rounded up: seconds to one decimal called a 3001 ms gap "3.0 s", over a limit of 3 s
        `GPU ${gpu}: a sample gap of ${Math.ceil(r.maxGap)} ms inside the window exceeds ${maxGapMs} ms`,
      );
    perGpu.set(gpu, r.joules);
  }
  // a role GPU without samples would add 0 J: its J per input or output token would read low, as if measured
  if (input.roles) {
    const sampled = [...byGpu.keys()].sort((a, b) => a - b).join(", ");
    for (const [role, ids] of [
      ["prefill", input.roles.prefill],
      ["decode", input.roles.decode],
    ] as const)
      for (const id of ids)
        if (!byGpu.has(id))
          reasons.push(`${role} GPU ${id} has no power samples (sampled: ${sampled})`);
  }
  if (reasons.length > 0) return { ...base, valid: false, reasons };
  const sum = (ids: Iterable<number>) => {
    let j = 0;
    for (const id of ids) j += perGpu.get(id) ?? 0;
    return j;
  };
  const energyJ = sum(perGpu.keys());
  const seconds = (endMs - startMs) / 1000;
  const energy: Energy = {
    ...base,
    energyJ,
    avgPowerW: energyJ / seconds / perGpu.size,
    valid: true,
    reasons: [],
  };
  const t = input.tokens;
  if (t) {
    const prefillJ = input.roles ? sum(input.roles.prefill) : energyJ;
    const decodeJ = input.roles ? sum(input.roles.decode) : energyJ;
    if (t.input + t.output > 0) energy.jPerTotalToken = energyJ / (t.input + t.output);
    if (t.input > 0) energy.jPerInputToken = prefillJ / t.input;
    if (t.output > 0) energy.jPerOutputToken = decodeJ / t.output;
  }
  return energy;
}
