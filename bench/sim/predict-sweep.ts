/**
 * Speed of `sim predict`: a 10-level closed-loop sweep of DeepSeek-R1 FP8 on 8 H200 (TP8) at
 * 1k/1k, PointResults included. Target: under 2 s on one core. Run: npm run perf:sim
 */
import { predictSweep } from "@infermark/sim";

const levels = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
const runs: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const { points } = predictSweep(
    { model: "dsr1", hardware: "h200", tp: 8 },
    { isl: 1024, osl: 1024, concurrency: levels },
  );
  runs.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
  if (points.length !== levels.length) throw new Error("missing levels");
}
runs.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    bench: "sim predict dsr1 h200 tp8 1k/1k 10 levels",
    node: process.version,
    wallMs: runs.map((r) => Math.round(r)),
    medianWallMs: Math.round(runs[2]!),
    medianCpuMs: Math.round(cpu[2]!),
  }),
);
