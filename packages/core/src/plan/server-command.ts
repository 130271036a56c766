import type { ServerRecipe, SweepSpec } from "../schemas/sweep-spec.js";
import { PlanError } from "./plan-error.js";
import { renderTemplate, type TemplateVars } from "./render-template.js";

/** Where a rendered server listens, and the folder that is its own. */
export interface ServerAddress {
  port: number;
  /** @default "0.0.0.0" */
  host?: string;
  /**
   * `{{scratchDir}}`: a folder of the server's own for the files its recipe writes (an engine's options file, a
   * discovery store), created empty when it starts and removed when it stops, so that no other configuration or
   * sweep on the node shares it. The plan shows `/tmp/infermark-<server name>-XXXXXX` (`plannedScratchDir`).
   */
  dir: string;
}

/** The placeholders filled when a server starts, not by the plan: a recipe's `vars` may not take their names. */
export const START_PLACEHOLDERS = ["port", "host", "scratchDir"] as const;

/** The `{{scratchDir}}` the plan shows: the server's start makes the folder and fills in the Xs. */
export function plannedScratchDir(serverName: string): string {
  return `/tmp/infermark-${serverName}-XXXXXX`;
}

/** The plan's placeholders with the server's address and folder added. */
const withAddress = (vars: TemplateVars, address: ServerAddress): TemplateVars => ({
  ...vars,
  port: address.port,
  host: address.host ?? "0.0.0.0",
  scratchDir: address.dir,
});

/**
 * The shell command a `command` or `docker` recipe runs for one server configuration, with `{{port}}`,
 * `{{host}}` and `{{scratchDir}}` filled; undefined for the simulator and external endpoints, which run no command.
 * A docker recipe becomes `docker run --rm --name <name> --network host ... <image> <command>`.
 * @example renderServerCommand(spec, spec.server, plan.servers[0].vars, { port: 8000, dir: "/tmp/infermark-x-a1b2c3" })
 */
export function renderServerCommand(
  spec: SweepSpec,
  recipe: ServerRecipe,
  vars: TemplateVars,
  address: ServerAddress,
): string | undefined {
  const all = withAddress(vars, address);
  if (recipe.kind === "command") return inField("server.command", recipe.command, all);
  if (recipe.kind !== "docker") return undefined;
  const image = recipe.image ?? spec.image;
  // without one, the first word of the command would be taken for the image
  if (!image)
    throw new PlanError(
      "server.image: a docker recipe needs an image (set server.image or the spec's image)",
    );
  const envFlags = Object.keys(recipe.env ?? {})
    .sort()
    .map((k) => `-e ${k}`)
    .join(" ");
  // each part alone first, so that a mistake is named by its field
  inField("server.args", recipe.args, all);
  inField("server.command", recipe.command, all);
  return renderTemplate(
    [
      `docker run --rm --init --name ${containerName(all)} --network host --ipc host`,
      envFlags,
      recipe.args,
      image,
      recipe.command,
    ].join(" "),
    all,
  );
}

/** The container name of a docker recipe's server: `infermark-<server name>-<port>`. */
export function containerName(vars: TemplateVars): string {
  return `infermark-${String(vars.name)}-${String(vars.port)}`;
}

/** Renders a recipe's environment values (they may use placeholders too). */
export function renderServerEnv(
  recipe: ServerRecipe,
  vars: TemplateVars,
  address: ServerAddress,
): Record<string, string> {
  if (recipe.kind !== "command" && recipe.kind !== "docker") return {};
  const all = withAddress(vars, address);
  return Object.fromEntries(
    Object.entries(recipe.env ?? {}).map(([k, v]) => [k, inField(`server.env.${k}`, v, all)]),
  );
}

/** Renders one template field of a recipe; a mistake in it is named by the field (`server.env.HF_HOME: ...`). */
function inField(field: string, template: string, vars: TemplateVars): string {
  try {
    return renderTemplate(template, vars);
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    throw new PlanError(error.message.replace(/^template:/, `${field}:`), { cause: error });
  }
}
