import type { SpecDecoding, WorkerPool } from "../schemas/common.js";
import type { PointConfig, Topology } from "../schemas/point-result.js";
import type { Scenario, ServerRecipe, SweepSpec } from "../schemas/sweep-spec.js";
import { concurrencyLevels } from "./concurrency-levels.js";
import { datasetDefinition, datasetLabel, scenarioDataset } from "./dataset-scenario.js";
import { fingerprint } from "./fingerprint.js";
import { PlanError } from "./plan-error.js";
import { DEFAULT_MAX_PLAN_POINTS } from "./plan-limits.js";
import { concurrencyLoads, type PointLoad, traceLoads, traceSpeedups } from "./point-loads.js";
import { serverName } from "./point-name.js";
import { scenarioWorkload, workloadContextLength } from "./scenario-workload.js";
import { plannedScratchDir, renderServerCommand, renderServerEnv } from "./server-command.js";
import { serverVars } from "./server-vars.js";
import type {
  PlannedPoint,
  PlannedServer,
  PlanOptions,
  ScenarioDataset,
  SkippedCombination,
  SweepPlan,
} from "./types.js";

/**
 * The spec's load-generator options as a point's definition holds them: without `apiKeyEnv`, the name of the variable
 * the API key is read from, which says where a secret comes from, not what is measured (adding or renaming it must
 * not make every point new). A `bench` left empty by that is no `bench`, as a spec without one.
 */
function measuredBench(bench: SweepSpec["bench"]): SweepSpec["bench"] {
  if (!bench || !("apiKeyEnv" in bench)) return bench;
  const { apiKeyEnv: _, ...rest } = bench as Record<string, unknown>;
  return Object.keys(rest).length > 0 ? (rest as SweepSpec["bench"]) : undefined;
}

/** Version of the fingerprint recipe: bump it when what defines a point changes meaning. */
export const FINGERPRINT_VERSION = 1;

interface Layout {
  topology: Topology;
  description: string;
}

/**
 * Expands a parsed sweep spec into server configurations (hardware × topology × speculative decoding × scenario)
 * and points (each configuration at each concurrency level, or a trace scenario's at each of its speedups), each
 * with a stable name and a fingerprint.
 * Pure: the same spec (and datasets) always gives the same plan. A dataset scenario's file is measured by the
 * caller and given in `options.datasets` (the CLI's `planSpecFile` does it).
 * @example planSweep(SweepSpec.parse(yaml)).points.map((p) => p.name)
 */
export function planSweep(spec: SweepSpec, options: PlanOptions = {}): SweepPlan {
  const hardwareList = Array.isArray(spec.hardware) ? spec.hardware : [spec.hardware];
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_PLAN_POINTS;
  const range = spec.search.concurrency;
  if (range && !Array.isArray(range) && range.from > range.to) {
    throw new PlanError(
      `search.concurrency: from ${range.from} is above to ${range.to}, so the range holds no level`,
    );
  }
  // the schema leaves it out only when every scenario is a trace
  const levels = range ? concurrencyLevels(range, maxPoints) : [];
  const skipped: SkippedCombination[] = [];
  const servers: PlannedServer[] = [];
  const usedNames = new Map<string, number>();
  // read before the search space, so a scenario whose file was not read fails whatever the layouts
  const datasets = spec.scenarios.map((s, i) => scenarioDataset(options, i, s));
  const layoutsOf = hardwareList.map((hardware) => layouts(spec, hardware, skipped));
  refuseOversizedPlan(spec, layoutsOf, levels, maxPoints);

  // where each server configuration came from, to name a repeat by its place in the spec
  const origins = new Map<string, Origin>();
  for (const [h, hardware] of hardwareList.entries()) {
    for (const [l, layout] of layoutsOf[h]!.entries()) {
      for (const [o, option] of spec.search.specDecoding.entries()) {
        const specDecoding: SpecDecoding = { ...option, method: option.method ?? "none" };
        spec.scenarios.forEach((scenario, i) => {
          const dataset = datasets[i];
          const server = planServer(spec, {
            hardware,
            layout,
            specDecoding,
            scenario,
            ...(dataset ? { dataset } : {}),
            levels,
            usedNames,
          });
          const origin = { h, l, o, i, name: server.name };
          const first = origins.get(server.key);
          if (first) throw repeatedServer(first, origin);
          origins.set(server.key, origin);
          servers.push(server);
        });
      }
    }
  }
  if (servers.length === 0) {
    throw new PlanError(
      `the search space of "${spec.name}" has no valid combination: ${skipped.map((s) => `${s.description}: ${s.reason}`).join("; ")}`,
    );
  }
  return {
    name: spec.name,
    specFingerprint: fingerprint({ v: FINGERPRINT_VERSION, spec }),
    spec,
    servers,
    points: servers.flatMap((s) => s.points),
    skipped,
  };
}

function planServer(
  spec: SweepSpec,
  ctx: {
    hardware: string;
    layout: Layout;
    specDecoding: SpecDecoding;
    scenario: Scenario;
    dataset?: ScenarioDataset;
    levels: number[];
    usedNames: Map<string, number>;
  },
): PlannedServer {
  const { hardware, layout, specDecoding, scenario, dataset, levels } = ctx;
  const { topology } = layout;
  const workload = scenarioWorkload(spec, scenario, dataset);
  const definition = {
    v: FINGERPRINT_VERSION,
    model: spec.model,
    modelId: spec.modelId,
    hardware,
    framework: spec.framework,
    image: spec.image,
    precision: spec.precision,
    // a random scenario as it always was (so its fingerprints stay), a session with its defaults filled in, a
    // dataset by its content
    scenario: dataset
      ? datasetDefinition(scenario, dataset)
      : workload.kind === "session"
        ? workload
        : { isl: scenario.isl, osl: scenario.osl, rangeRatio: scenario.rangeRatio },
    topology,
    specDecoding,
    recipe: recipeDefinition(spec.server),
    bench: measuredBench(spec.bench),
  };
  const key = fingerprint(definition);
  let name = serverName({
    model: spec.model,
    hardware,
    framework: spec.framework,
    precision: spec.precision,
    topology,
    specDecoding,
    isl: workload.isl,
    osl: workload.osl,
    turns: workload.kind === "session" ? workload.turns : undefined,
    ...(dataset ? { dataset: datasetLabel(scenario) } : {}),
  });
  // Two options that differ only where the name does not look (acceptance length, say) stay apart.
  if (ctx.usedNames.has(name)) name = `${name}-${key.slice(0, 6)}`;
  ctx.usedNames.set(name, 1);

  const loads: PointLoad[] =
    dataset && scenario.workload === "trace"
      ? traceLoads(spec, scenario, dataset)
      : concurrencyLoads(spec, levels);
  const vars = serverVars(spec, {
    name,
    hardware,
    topology,
    specDecoding,
    workload,
    // a dataset's longest request as measured in the file; a synthetic one's by its lengths
    contextLength: dataset ? dataset.longest : workloadContextLength(workload),
    // a trace has in flight at most its cap, or every request it replays
    levels: loads.map((l) => l.concurrency ?? l.requests),
  });
  const points = loads.map((level): PlannedPoint => {
    const { requests, warmupRequests } = level;
    const config: PointConfig = {
      model: spec.model,
      ...(spec.modelId ? { modelId: spec.modelId } : {}),
      hardware,
      framework: spec.framework,
      ...(spec.image ? { image: spec.image } : {}),
      precision: spec.precision,
      specDecoding,
      topology,
      workload:
        level.speedup !== undefined && workload.trace
          ? { ...workload, trace: { ...workload.trace, speedup: level.speedup } }
          : workload,
      load: level.load,
    };
    return {
      name: `${name}-${level.suffix}`,
      fingerprint: fingerprint({ ...definition, ...level.definition }),
      serverKey: key,
      serverName: name,
      ...(level.concurrency !== undefined ? { concurrency: level.concurrency } : {}),
      ...(level.speedup !== undefined ? { speedup: level.speedup } : {}),
      requests,
      warmupRequests,
      config,
    };
  });
  const address = { port: defaultPort(spec.server), dir: plannedScratchDir(name) };
  const command = renderServerCommand(spec, spec.server, vars, address);
  // rendered again when the server starts (on its port); a mistake in it fails here, before anything starts
  renderServerEnv(spec.server, vars, address);
  return {
    key,
    name,
    hardware,
    scenario,
    topology,
    specDecoding,
    vars,
    recipe: spec.server,
    ...(dataset ? { dataset } : {}),
    ...(command !== undefined ? { command } : {}),
    points,
  };
}

/** The place of a server configuration in the spec: hardware, layout, speculative decoding option, scenario. */
interface Origin {
  h: number;
  l: number;
  o: number;
  i: number;
  /** The server's name. */
  name: string;
}

/**
 * Two places in the spec that give one server configuration (the same fingerprints: measured twice, two matrix
 * jobs): refused, naming the repeat. Repeated values of a plain list (`hardware`, `search.tp`) are refused by the
 * schema; these compare with their defaults filled in (`{isl: 1024, osl: 1024}` is `{..., rangeRatio: 0.8}`).
 */
function repeatedServer(first: Origin, again: Origin): PlanError {
  const where =
    again.i !== first.i
      ? `scenarios[${again.i}] is the same scenario as scenarios[${first.i}]`
      : again.o !== first.o
        ? `search.specDecoding[${again.o}] is the same option as search.specDecoding[${first.o}]`
        : "two places in the spec give the same server configuration";
  return new PlanError(`${where} (both plan ${first.name}); remove the repeat`);
}

/** Counts the plan's points before building them, and refuses a plan of more than `maxPoints`. */
function refuseOversizedPlan(
  spec: SweepSpec,
  layoutsOf: readonly Layout[][],
  levels: readonly number[],
  maxPoints: number,
): void {
  const configurations =
    layoutsOf.reduce((n, l) => n + l.length, 0) * spec.search.specDecoding.length;
  const pointsPerConfiguration = spec.scenarios.reduce(
    (n, s) => n + (s.workload === "trace" ? traceSpeedups(s).length : levels.length),
    0,
  );
  const points = configurations * pointsPerConfiguration;
  if (points <= maxPoints) return;
  const servers = configurations * spec.scenarios.length;
  throw new PlanError(
    `the search space of "${spec.name}" holds ${points} points (${servers} server configuration${servers === 1 ? "" : "s"}), more than the ${maxPoints} a sweep may hold; narrow search (or split it into several specs)`,
  );
}

/** The recipe as it defines a point: without the port, which changes where the server listens, not what it is. */
function recipeDefinition(recipe: ServerRecipe): unknown {
  if (recipe.kind === "external") return { kind: "external" };
  const { port: _port, ...rest } = recipe;
  return rest;
}

/** The port a recipe listens on when it does not choose one at run time. */
export function defaultPort(recipe: ServerRecipe): number {
  return "port" in recipe && recipe.port !== undefined ? recipe.port : 8000;
}

function pool(tp: number, ep: number, dpAttention: boolean, workers: number): WorkerPool {
  return { tp, ep, pp: 1, dpAttention, workers, gpus: tp * workers };
}

/** Every serving layout of the search space that makes sense on `hardware`, recording the ones left out. */
function layouts(spec: SweepSpec, hardware: string, skipped: SkippedCombination[]): Layout[] {
  const out: Layout[] = [];
  const { search } = spec;
  if (search.disaggregated) {
    const sides = (side: "prefill" | "decode") => {
      const space = search.disaggregated![side];
      const pools: WorkerPool[] = [];
      for (const workers of space.workers)
        for (const tp of space.tp)
          for (const ep of space.ep)
            for (const dpa of space.dpAttention) {
              const description = `${side} ${workers}x tp${tp} ep${ep}${dpa ? " dp-attention" : ""}`;
              const reason = poolProblem(tp, ep, dpa);
              if (reason) skipped.push({ hardware, description, reason });
              else pools.push(pool(tp, ep, dpa, workers));
            }
      return pools;
    };
    for (const prefill of sides("prefill"))
      for (const decode of sides("decode"))
        out.push({
          description: "disaggregated",
          topology: {
            disaggregated: true,
            multinode: false,
            gpus: prefill.gpus + decode.gpus,
            prefillGpus: prefill.gpus,
            decodeGpus: decode.gpus,
            prefill,
            decode,
          },
        });
    return out;
  }
  for (const tp of search.tp)
    for (const ep of search.ep)
      for (const dpa of search.dpAttention) {
        const gpus = spec.gpus ?? tp;
        const description = `tp${tp} ep${ep}${dpa ? " dp-attention" : ""}`;
        const reason =
          gpus % tp !== 0
            ? `tp ${tp} does not divide the ${gpus} GPUs of the server`
            : poolProblem(tp, ep, dpa);
        if (reason) {
          skipped.push({ hardware, description, reason });
          continue;
        }
        const p = pool(tp, ep, dpa, gpus / tp);
        out.push({
          description,
          topology: {
            disaggregated: false,
            multinode: false,
            gpus,
            prefillGpus: gpus,
            decodeGpus: gpus,
            prefill: p,
            decode: p,
          },
        });
      }
  return out;
}

function poolProblem(tp: number, ep: number, dpAttention: boolean): string | undefined {
  if (ep > tp) return `ep ${ep} exceeds the tp ${tp} group it shards experts over`;
  if (tp % ep !== 0) return `ep ${ep} does not divide tp ${tp}`;
  if (dpAttention && tp === 1) return "DP attention needs tp > 1";
  return undefined;
}
