import { createSimServer, type SimServer } from "@infermark/sim";
import { TOOL_VERSION } from "../version.js";
import { type SimFlags, simOptionsFromFlags } from "./sim-options.js";

/**
 * Starts `sim serve`: the simulated engine behind an OpenAI-compatible server; returns it listening (its
 * `modelName` is the id it serves).
 */
export async function simServe(
  flags: SimFlags,
  o: {
    port: number;
    host: string;
    speed: number;
    seed: number;
    modelName?: string;
    promptTokensDetails?: boolean;
  },
): Promise<{ server: SimServer; port: number; host: string }> {
  const server = createSimServer({
    sim: await simOptionsFromFlags(flags),
    speed: o.speed,
    seed: o.seed,
    modelName: o.modelName,
    version: TOOL_VERSION,
    promptTokensDetails: o.promptTokensDetails ?? false,
  });
  const { port, host } = await server.listen(o.port, o.host);
  return { server, port, host };
}
