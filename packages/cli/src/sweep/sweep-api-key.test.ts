import { PlanError } from "@infermark/core";
import { describe, expect, it } from "vitest";
import { externalSpec } from "../../test/external-spec.js";
import { readSweepApiKey, serverHeaders } from "./sweep-api-key.js";
import { SweepError } from "./sweep-error.js";

const spec = externalSpec;

describe("readSweepApiKey", () => {
  it("reads the key as infermark bench does: the named variable, else INFERMARK_API_KEY, else OPENAI_API_KEY", () => {
    const env = { INFERMARK_API_KEY: "k-1", OPENAI_API_KEY: "k-2", GATEWAY_AUTH: "k-3" };
    expect(readSweepApiKey(spec({}), env)).toEqual({ key: "k-1", variable: "INFERMARK_API_KEY" });
    expect(readSweepApiKey(spec({}), { ...env, INFERMARK_API_KEY: "" })).toEqual({
      key: "k-2",
      variable: "OPENAI_API_KEY",
    });
    expect(readSweepApiKey(spec({ apiKeyEnv: "GATEWAY_AUTH" }), env)).toEqual({
      key: "k-3",
      variable: "GATEWAY_AUTH",
    });
    expect(readSweepApiKey(spec({}), {})).toBeUndefined();
  });

  it("refuses a named variable that is unset or empty (a CI secret that is not there)", () => {
    expect(() =>
      readSweepApiKey(spec({ apiKeyEnv: "GATEWAY_AUTH" }), { GATEWAY_AUTH: "" }),
    ).toThrow(new SweepError("bench.apiKeyEnv: environment variable GATEWAY_AUTH is not set"));
  });

  it("refuses a key the shell exports for other tools beside the spec's own Authorization, naming it", () => {
    expect(() =>
      readSweepApiKey(spec({ headers: { authorization: "Bearer t" } }), { OPENAI_API_KEY: "k-2" }),
    ).toThrow(
      new PlanError(
        "bench.headers sets Authorization and $OPENAI_API_KEY holds an API key (bench.apiKeyEnv; sent as Authorization: Bearer): both set the Authorization header; give one of them",
      ),
    );
    expect(readSweepApiKey(spec({ headers: { authorization: "Bearer t" } }), {})).toBeUndefined();
  });
});

describe("serverHeaders", () => {
  it("sends the headers as given and the key, as the load generator does", () => {
    expect(serverHeaders({ "x-team": "a" }, "k-1")).toEqual({
      "x-team": "a",
      authorization: "Bearer k-1",
    });
    expect(serverHeaders({}, undefined)).toEqual({});
  });
});
