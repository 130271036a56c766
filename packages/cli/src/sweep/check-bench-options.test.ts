// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is what a spec writes in a header for an environment variable
import { PlanError, planSweep, SweepSpec } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { externalSpec } from "../../test/external-spec.js";
import { checkBenchOptions } from "./check-bench-options.js";

/** The shared external spec with a multi-turn scenario, `over` laid on top, planned. */
const plan = (bench: Record<string, unknown>, over: Record<string, unknown> = {}) =>
  planSweep(
    SweepSpec.parse({
      ...externalSpec(bench),
      scenarios: [{ isl: 1024, osl: 128, workload: "multi-turn", turns: 2 }],
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
  });
});

describe("checkBenchOptions: credentials in the spec", () => {
  const refusal = (f: () => void): Error | undefined => {
    try {
      f();
    } catch (e) {
      return e as Error;
    }
    return undefined;
  };

  it("refuses a user and password in an external server's URL, with or without bench, not repeating them", () => {
    const basic = {
      server: { kind: "external", baseUrl: "http://me:pw-0123456789@127.0.0.1:8000" },
    };
    const expected = new PlanError(
      'server.baseUrl: a user and password in a spec file are committed with it; give the URL without them, and the credentials from the environment: bench.headers Authorization: "Basic ${NAME}" (NAME holding base64 of user:password), or an API key (bench.apiKeyEnv)',
    );
    // before, the sweep planned it, then never found the server ready: fetch refuses a URL with credentials
    expect(refusal(() => checkBenchOptions(plan({}, { ...basic, bench: undefined })))).toEqual(
      expected,
    );
    expect(refusal(() => checkBenchOptions(plan({ apiKeyEnv: "MY_KEY" }, basic)))).toEqual(
      expected,
    );
    const user = { server: { kind: "external", baseUrl: "http://me@127.0.0.1:8000" } };
    expect(refusal(() => checkBenchOptions(plan({}, user)))).toEqual(expected);
  });

  it.each([
    ["Authorization", "Bearer sk-live-0123456789"],
    ["Proxy-Authorization", "Basic bWU6cHc="],
    ["Cookie", "session=0123456789abcdef"],
    ["X-Api-Key", "k-0123456789"],
    ["api-key", "k-0123456789"],
    ["X-Gateway-Token", "t-0123456789"],
    ["X-Client-Secret", "s-0123456789"],
    // a variable and more written beside it: what is written may be the credential
    ["Authorization", "Bearer sk-live-0123456789 ${GATEWAY_TOKEN}"],
  ])("refuses a literal %s value, naming the header, not the value", (name, value) => {
    const error = refusal(() => checkBenchOptions(plan({ headers: { [name]: value } })));
    expect(error).toEqual(
      new PlanError(
        `bench.headers.${name}: a credential in a spec file is committed with it; export it in an environment variable and write \${NAME} in its place (as "Bearer \${NAME}" where a scheme goes before it)`,
      ),
    );
  });

  it("takes a credential header from a variable, alone or after a scheme or a cookie's name; other headers as written", () => {
    for (const value of ["${GATEWAY_TOKEN}", "Bearer ${GATEWAY_TOKEN}", "sid=${SID_1}"])
      expect(() => checkBenchOptions(plan({ headers: { Authorization: value } }))).not.toThrow();
    expect(() => checkBenchOptions(plan({ headers: { "X-Team": "infra" } }))).not.toThrow();
  });

  it("refuses a ${...} that names no variable, not repeating it", () => {
    expect(
      refusal(() => checkBenchOptions(plan({ headers: { "X-Team": "${sk-live-0123456789}" } }))),
    ).toEqual(
      new PlanError(
        "bench.headers.X-Team: ${...} takes the name of an environment variable (letters, digits and _, not first a digit)",
      ),
    );
  });
});
