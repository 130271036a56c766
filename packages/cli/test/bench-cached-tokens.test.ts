import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSimServer } from "@infermark/sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess } from "./helpers.js";

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "infermark-cached-tokens-"));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

/** `infermark bench --workload multi-turn` against a simulator that reports cached tokens or not; its stdout. */
async function sessionRun(promptTokensDetails: boolean): Promise<string> {
  const sim = createSimServer({
    sim: { model: "dsr1", hardware: "h200", tp: 8 },
    speed: 20,
    promptTokensDetails,
  });
  const { port } = await sim.listen(0);
  try {
    const r = await runCliInProcess([
      ...["bench", "--base-url", `http://127.0.0.1:${port}`, "--model", "dsr1", "--api", "chat"],
      ...["--workload", "multi-turn", "--turns", "2", "--isl", "200", "--osl", "10"],
      ...["--range-ratio", "1", "--concurrency", "1", "--num-requests", "4", "--warmup", "0"],
      ...["--max-client-lag", "100000", "--output-dir", out],
    ]);
    expect([r.code, r.stderr.match(/INVALID.*/)?.[0]]).toEqual([0, undefined]);
    return r.stdout;
  } finally {
    await sim.close();
  }
}

describe("bench's session table and per-request cached tokens", () => {
  it("says the server reported none and how to turn them on, instead of only leaving the column out", async () => {
    const lines = (await sessionRun(false)).split("\n");
    expect(lines.filter((l) => l.startsWith("turn "))).toEqual([
      "turn  requests  TTFT median (ms)  input tokens median",
    ]);
    expect(lines.filter((l) => l.startsWith("Cached tokens"))).toEqual([
      'Cached tokens: not reported (no response carried usage.prompt_tokens_details.cached_tokens; infermark sim serve sends it only with --enable-prompt-tokens-details; docs/bench.md, "Cached tokens by engine")',
    ]);
  });

  it("shows them by turn, with no such line, when the server reports them", async () => {
    const lines = (await sessionRun(true)).split("\n");
    expect(lines.filter((l) => l.startsWith("turn "))).toEqual([
      "turn  requests  TTFT median (ms)  input tokens median  cached tokens median",
    ]);
    expect(lines.filter((l) => l.startsWith("Cached tokens"))).toEqual([]);
  });
});
