import type { SpecDecoding, WorkerPool } from "../schemas/common.js";
import type { Topology, Workload } from "../schemas/point-result.js";
import type { SweepSpec } from "../schemas/sweep-spec.js";
import { PlanError } from "./plan-error.js";
import type { TemplateVars } from "./render-template.js";
import { START_PLACEHOLDERS } from "./server-command.js";

/** Tokens of `{{maxModelLen}}` beyond the longest request. */
const MAX_MODEL_LEN_MARGIN = 256;

/**
 * A chat template's own tokens per message (role markers and separators: 4-8 in the common templates, doubled
 * for safety). A session's last turn holds a system prompt and two messages per turn, so a fixed margin alone runs
 * out: 20 turns are 41 messages.
 */
const TEMPLATE_TOKENS_PER_MESSAGE = 16;

/**
 * The `{{placeholders}}` of one server configuration: the spec's identity (model, modelId, framework, image,
 * precision), the layout (gpus, tp, ep, dp, dpAttention, expertParallel, workers, and prefill.../decode... for each
 * pool), speculative decoding (specMethod, specDecoding, mtp, eagle, draftTokens, draftTokensPlusOne), the scenario (isl, osl, multiTurn,
 * turns, maxModelLen: the longest request plus a margin, maxConcurrency; a dataset's isl and osl are its mean lengths) and the recipe's own `vars`. `port`, `host` and `scratchDir` are added when the server starts.
 */
export function serverVars(
  spec: SweepSpec,
  ctx: {
    name: string;
    hardware: string;
    topology: Topology;
    specDecoding: SpecDecoding;
    workload: Workload;
    /** The most tokens one request holds, prompt and output (`workloadContextLength`, or a dataset's longest). */
    contextLength: number;
    levels: readonly number[];
  },
): TemplateVars {
  const { topology, specDecoding, workload } = ctx;
  const main = topology.decode ?? topology.prefill;
  const poolVars = (prefix: string, pool: WorkerPool | undefined) => ({
    [`${prefix}Tp`]: pool?.tp ?? 1,
    [`${prefix}Ep`]: pool?.ep ?? 1,
    [`${prefix}Dp`]: pool?.dpAttention ? pool.tp : 1,
    [`${prefix}DpAttention`]: pool?.dpAttention ?? false,
    [`${prefix}ExpertParallel`]: (pool?.ep ?? 1) > 1,
    [`${prefix}Workers`]: pool?.workers ?? 1,
    [`${prefix}Gpus`]: pool?.gpus ?? 1,
  });
  const recipeVars = "vars" in spec.server ? (spec.server.vars ?? {}) : {};
  const planned: TemplateVars = {
    name: ctx.name,
    model: spec.model,
    modelId: spec.modelId ?? spec.model,
    hardware: ctx.hardware,
    framework: spec.framework,
    image: spec.image ?? "",
    precision: spec.precision,
    gpus: topology.gpus,
    tp: main?.tp ?? topology.gpus,
    ep: main?.ep ?? 1,
    pp: main?.pp ?? 1,
    dp: main?.dpAttention ? main.tp : 1,
    dpAttention: main?.dpAttention ?? false,
    expertParallel: (main?.ep ?? 1) > 1,
    workers: main?.workers ?? 1,
    disaggregated: topology.disaggregated,
    ...poolVars("prefill", topology.prefill),
    ...poolVars("decode", topology.decode),
    specMethod: specDecoding.method,
    specDecoding: specDecoding.method !== "none",
    mtp: specDecoding.method === "mtp",
    eagle: specDecoding.method === "eagle",
    draftTokens: specDecoding.method === "none" ? 0 : (specDecoding.draftTokens ?? 1),
    draftTokensPlusOne: specDecoding.method === "none" ? 1 : (specDecoding.draftTokens ?? 1) + 1,
    isl: workload.isl,
    osl: workload.osl,
    multiTurn: workload.kind === "session",
    turns: workload.turns ?? 1,
    // a session's last turn carries the whole conversation; the margin is room for the chat template and the
    // tokenizer's drift beyond the nominal (or, for a dataset, the planner's tokenizer's) lengths
    maxModelLen:
      ctx.contextLength +
      MAX_MODEL_LEN_MARGIN +
      (workload.kind === "session"
        ? TEMPLATE_TOKENS_PER_MESSAGE * (2 * (workload.turns ?? 1) + 1)
        : 0),
    maxConcurrency: Math.max(...ctx.levels),
  };
  // a recipe constant named like a planned value would render what the points do not record (vars: {tp: 4})
  for (const name of Object.keys(recipeVars))
    if (Object.hasOwn(planned, name) || (START_PLACEHOLDERS as readonly string[]).includes(name))
      throw new PlanError(
        `server.vars.${name}: ${name} is a placeholder the plan fills for each server configuration (the layout, the scenario, its port); give the recipe's constant another name`,
      );
  return { ...planned, ...recipeVars };
}
