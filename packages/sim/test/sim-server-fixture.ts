import { afterAll, beforeAll } from "vitest";
import { createSimServer, type SimServer } from "../src/index.js";

/** The simulated server a test file talks to, started before its tests and closed after them. */
export interface ServedSim {
  readonly server: SimServer;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
}

/**
 * Starts `sim serve`'s server for the calling test file (DeepSeek-R1 on 8 simulated H200s, speed 50, seed 1, the
 * prefix cache's hits in each `usage`, as with `--enable-prompt-tokens-details`) on a free local port before its
 * tests, and closes it after them; read its fields inside tests.
 * @example const sim = serveDsr1(); it("answers", async () => fetch(`${sim.base}/health`))
 */
export function serveDsr1(): ServedSim {
  const served = {} as { server: SimServer; port: number; base: string };
  beforeAll(async () => {
    served.server = createSimServer({
      sim: { model: "dsr1", hardware: "h200", tp: 8 },
      speed: 50,
      seed: 1,
      promptTokensDetails: true,
    });
    ({ port: served.port } = await served.server.listen(0));
    served.base = `http://127.0.0.1:${served.port}`;
  });
  afterAll(async () => {
    await served.server?.close();
  });
  return served;
}
