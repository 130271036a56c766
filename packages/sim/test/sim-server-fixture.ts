import { afterAll, beforeAll } from "vitest";
import { createSimServer, type SimServer } from "../src/index.js";

/** The simulated server a test file talks to, started before its tests and closed after them. */
export interface ServedSim {
  readonly server: SimServer;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** POSTs `body` as JSON to `path` (`/v1/completions`) of the server. */
  post(path: string, body: unknown): Promise<Response>;
}

/**
 * Starts `sim serve`'s server for the calling test file (DeepSeek-R1 on 8 simulated H200s, speed 50, seed 1, the
 * prefix cache's hits in each `usage`, as with `--enable-prompt-tokens-details`) on a free local port before its
 * tests, and closes it after them; read its fields inside tests.
 * @example const sim = serveDsr1(); it("answers", async () => sim.post("/v1/completions", { prompt: "baba" }))
 */
export function serveDsr1(): ServedSim {
  const served: { -readonly [K in keyof ServedSim]: ServedSim[K] } = {
    post: (path: string, body: unknown) =>
      fetch(`${served.base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
  } as ServedSim;
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

/** The JSON of each `data:` event of a streamed answer, before `[DONE]`. */
// biome-ignore lint/suspicious/noExplicitAny: the chunks' JSON, read field by field by each test
export async function sseEvents(res: Response): Promise<any[]> {
  return (await res.text())
    .split("\n\n")
    .filter((e) => e.startsWith("data: ") && e !== "data: [DONE]")
    .map((e) => JSON.parse(e.slice(6)));
}
