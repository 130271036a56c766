import { PlanError, planSweep, SweepSpec } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { checkBenchOptions } from "./check-bench-options.js";

const plan = (bench: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  planSweep(
    SweepSpec.parse({
      name: "t",
      model: "dsr1",
      hardware: "h200",
      framework: "vllm",
      precision: "fp8",
      scenarios: [{ isl: 1024, osl: 128, workload: "multi-turn", turns: 2 }],
      search: { tp: [8], concurrency: [4] },
      server: { kind: "external", baseUrl: "http://127.0.0.1:8000" },
      bench,
      ...over,
    }),
  );

describe("checkBenchOptions with a multi-turn scenario", () => {
  it("says where a spec sets the session options", () => {
    expect(() => checkBenchOptions(plan({ turns: 3 }))).toThrow(
      new PlanError(
        "bench: the sweep sets turns from scenarios[].turns (multi-turn); remove it from bench",
      ),
    );
  });

  it("refuses at plan time what the multi-turn workload refuses", () => {
    expect(() => checkBenchOptions(plan({ tokenIds: true }))).toThrow(
      new PlanError(
        "bench.tokenIds: the multi-turn workload sends text (its history holds replies)",
      ),
    );
    expect(() => checkBenchOptions(plan({ api: "chat", prefixLength: 32 }))).not.toThrow();
  });
});

describe("checkBenchOptions: the API key", () => {
  it("refuses a key written in the spec, in one line that does not repeat it", () => {
    const error = (() => {
      try {
        checkBenchOptions(plan({ apiKey: "sk-live-0123456789" }));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toEqual(
      new PlanError(
        "bench.apiKey: a key in a spec file is committed with it; export it in an environment variable and name that with bench.apiKeyEnv (default INFERMARK_API_KEY, else OPENAI_API_KEY)",
      ),
    );
  });

  it("takes the name of the variable that holds it, set or not when planning (a CI plan job has no secrets)", () => {
    expect(() => checkBenchOptions(plan({ apiKeyEnv: "NO_SUCH_VARIABLE_SET_1" }))).not.toThrow();
    expect(() => checkBenchOptions(plan({ apiKeyEnv: 7 }))).toThrow(
      new PlanError("bench.apiKeyEnv expects a string, got 7"),
    );
    // a value that is no variable name may be the key itself: not repeated
    expect(() => checkBenchOptions(plan({ apiKeyEnv: "sk-live-0123456789" }))).toThrow(
      new PlanError(
        "bench.apiKeyEnv expects the name of an environment variable (letters, digits and _, not first a digit), not the key",
      ),
    );
  });

  it("refuses a named key beside another Authorization at plan time", () => {
    expect(() =>
      checkBenchOptions(plan({ apiKeyEnv: "MY_KEY", headers: { Authorization: "Bearer t" } })),
    ).toThrow(
      new PlanError(
        "bench.headers sets Authorization and $MY_KEY holds an API key (bench.apiKeyEnv; sent as Authorization: Bearer): both set the Authorization header; give one of them",
      ),
    );
    const basic = { server: { kind: "external", baseUrl: "http://me:pw@127.0.0.1:8000" } };
    expect(() => checkBenchOptions(plan({ apiKeyEnv: "MY_KEY" }, basic))).toThrow(
      new PlanError(
        "server.baseUrl holds a user and password (sent as Authorization: Basic) and $MY_KEY holds an API key (bench.apiKeyEnv; sent as Authorization: Bearer): both set the Authorization header; give one of them",
      ),
    );
  });
});
