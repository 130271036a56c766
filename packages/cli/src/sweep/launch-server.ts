import { execFile } from "node:child_process";
import {
  containerName,
  type PlannedServer,
  renderServerCommand,
  renderServerEnv,
  type SweepSpec,
} from "@infermark/core";
import { freePort, portInUse } from "./free-port.js";
import { commandSecrets, redactCommand, sweepSecrets } from "./redact-command.js";
import { redactLogFile } from "./redact-log.js";
import { makeScratchDir, removeScratchDir } from "./scratch-dir.js";
import { shellJoin } from "./self-command.js";
import { ServerProcess } from "./server-process.js";
import {
  claimServerRecord,
  heldByAnotherSweep,
  newServerRecord,
  readServerRecord,
  removeServerRecord,
  type ServerRecord,
  writeServerRecord,
} from "./server-record.js";
import { ServerBusy, ServerFailure } from "./sweep-error.js";

/** A server started (or found) for one server configuration. */
export interface RunningServer {
  baseUrl: string;
  /** The command, secrets redacted, as recorded in each PointResult. */
  command?: string;
  /** Secret values of the server's environment (and infermark's), redacted wherever they would be written. */
  secrets: string[];
  process?: ServerProcess;
  /** The server's `{{scratchDir}}` (a command or docker recipe's), removed when it stops. */
  scratchDir?: string;
  /**
   * Notes the server's workers that left its process group (`ServerProcess.noteStrays`), and adds new ones to its
   * `server.state`, so that they are stopped with it even after the server itself has exited, by this sweep or by
   * the next one in the folder. Best effort: a record that cannot be written is left as it was.
   */
  noteStrays(): Promise<void>;
  /** Stops the server for good; safe to call twice. */
  stop(): Promise<void>;
}

export interface LaunchServerOptions {
  spec: SweepSpec;
  server: PlannedServer;
  logPath: string;
  /** How to run infermark itself (for the simulator). */
  selfCommand: readonly string[];
  cwd?: string;
  /**
   * Where to record the launched server while it runs (`serverRecordPath`), so that the next sweep can stop it if
   * this one is killed without stopping it; removed when the server is stopped.
   */
  recordPath?: string;
}

/**
 * `infermark sim serve` arguments for a server configuration: its layout, speculative decoding, the recipe's
 * `options` as flags, and `--max-model-len {{maxModelLen}}` (unless the options set maxModelLen), so the simulator
 * refuses what a server started with the plan's context length would; `--enable-prompt-tokens-details` (unless the
 * options set enablePromptTokensDetails), so a session or trace scenario records the prompt tokens its prefix cache
 * served.
 */
export function simulatorArgs(spec: SweepSpec, server: PlannedServer, port: number): string[] {
  if (spec.server.kind !== "simulator") return [];
  const { topology, specDecoding } = server;
  const args = ["sim", "serve", "--model", spec.model, "--hardware", server.hardware];
  args.push("--framework", spec.framework, "--precision", spec.precision);
  if (topology.disaggregated) {
    args.push("--disagg");
    for (const side of ["prefill", "decode"] as const) {
      const pool = topology[side]!;
      args.push(`--${side}-workers`, String(pool.workers), `--${side}-tp`, String(pool.tp));
      args.push(`--${side}-ep`, String(pool.ep));
      if (pool.dpAttention) args.push(`--${side}-dp-attention`);
    }
  } else {
    const pool = topology.decode!;
    args.push("--gpus", String(topology.gpus), "--tp", String(pool.tp), "--ep", String(pool.ep));
    if (pool.dpAttention) args.push("--dp-attention");
  }
  if (specDecoding.method !== "none") {
    args.push("--mtp-draft-tokens", String(specDecoding.draftTokens ?? 1));
    // EAGLE, n-gram and draft models draft without the model's own MTP layers, which most models lack
    if (specDecoding.method !== "mtp") args.push("--spec-method", "draft");
    if (specDecoding.acceptanceLength)
      args.push("--acceptance", String(specDecoding.acceptanceLength));
  }
  const options = spec.server.options ?? {};
  if (options.maxModelLen === undefined)
    args.push("--max-model-len", String(server.vars.maxModelLen));
  // unless the options say (true adds it below; false leaves it out)
  if (options.enablePromptTokensDetails === undefined) args.push("--enable-prompt-tokens-details");
  for (const [key, value] of Object.entries(options)) {
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    if (value === true) args.push(flag);
    else if (value !== false && value !== null && value !== undefined)
      args.push(flag, String(value));
  }
  args.push("--host", "127.0.0.1", "--port", String(port), "--speed", String(spec.server.speed));
  return args;
}

/**
 * Starts the server of one configuration from its recipe: a shell command, `docker run`, or `infermark sim serve`
 * (a child process on a free port); an external recipe starts nothing. A fixed port that is already taken fails
 * at once, before anything starts.
 */
export async function launchServer(options: LaunchServerOptions): Promise<RunningServer> {
  const { spec, server } = options;
  const recipe = spec.server;
  if (recipe.kind === "external") {
    return {
      baseUrl: recipe.baseUrl.replace(/\/+$/, ""),
      secrets: sweepSecrets(spec),
      noteStrays: async () => {},
      stop: async () => {},
    };
  }
  const { recordPath } = options;
  const held = recordPath ? await readServerRecord(recordPath) : undefined;
  if (held && heldByAnotherSweep(held)) throw busy(held);
  const port = recipe.port ?? (recipe.kind === "simulator" ? await freePort() : 8000);
  if (await portInUse(port)) {
    throw new ServerFailure(
      `port ${port} is already in use by another process; stop it or set server.port in the spec`,
    );
  }
  const graceMs = spec.limits.stopGraceS * 1000;
  let command: string | string[];
  let env: Record<string, string> = {};
  let scratchDir: string | undefined;
  if (recipe.kind === "simulator") {
    command = [...options.selfCommand, ...simulatorArgs(spec, server, port)];
  } else {
    scratchDir = await makeScratchDir(server.name);
    const address = { port, dir: scratchDir };
    command = renderServerCommand(spec, recipe, server.vars, address)!;
    env = renderServerEnv(recipe, server.vars, address);
  }
  const display = typeof command === "string" ? command : shellJoin(command);
  // what the command holds as rendered too (a recipe's vars fill its placeholders)
  const secrets = [...new Set([...sweepSecrets(spec, env), ...commandSecrets(display)])].sort(
    (a, b) => b.length - a.length,
  );
  const redacted = redactCommand(display, secrets);
  let child: ServerProcess;
  try {
    child = await ServerProcess.launch({
      command,
      env,
      cwd: options.cwd,
      logPath: options.logPath,
      header: `# infermark: ${new Date().toISOString()} starting ${server.name}: ${redacted}`,
    });
  } catch (error) {
    await removeScratchDir(scratchDir);
    throw error;
  }
  const container = recipe.kind === "docker" ? containerName({ ...server.vars, port }) : undefined;
  let record: ServerRecord | undefined;
  if (recordPath && child.pid !== undefined) {
    record = newServerRecord({
      server: server.name,
      pid: child.pid,
      port,
      ...(container ? { container } : {}),
      command: redacted,
      cookie: child.cookie,
      ...(scratchDir ? { scratchDir } : {}),
    });
    let other: ServerRecord | undefined;
    try {
      other = await claimServerRecord(recordPath, record);
    } catch (error) {
      await child.stop(graceMs);
      await removeScratchDir(scratchDir);
      throw new ServerFailure(
        `cannot record the server in ${recordPath}: ${(error as Error).message}`,
      );
    }
    // another sweep launched the same configuration in this folder at the same moment, and took the record first
    if (other) {
      await child.stop(graceMs);
      await removeScratchDir(scratchDir);
      throw busy(other);
    }
  }
  const noteStrays = async () => {
    const strays = child.noteStrays();
    if (!recordPath || !record || strays.length === (record.strays?.length ?? 0)) return;
    record = { ...record, strays };
    await writeServerRecord(recordPath, record).catch(() => {});
  };
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await child.stop(graceMs);
      if (container) await removeContainer(container);
      await removeScratchDir(scratchDir);
      if (recordPath) await removeServerRecord(recordPath, child.pid);
      // what the server printed of its arguments and environment (engines log them at start)
      await redactLogFile(options.logPath, secrets);
    })();
    return stopped;
  };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    command: redacted,
    secrets,
    process: child,
    ...(scratchDir ? { scratchDir } : {}),
    noteStrays,
    stop,
  };
}

/** The failure of a configuration that another sweep, running now, is measuring in the same output folder. */
const busy = (other: ServerRecord): ServerBusy =>
  new ServerBusy(
    `another sweep (pid ${other.owner.pid}) is running server ${other.server} in this output folder now (since ${other.date}); let it finish, or give this sweep another --output-dir`,
  );

/** `docker rm -f` the container of a docker recipe, in case `docker run` died before its container did. */
function removeContainer(name: string): Promise<void> {
  return new Promise((resolve) => {
    execFile("docker", ["rm", "-f", name], { timeout: 30_000 }, () => resolve());
  });
}
