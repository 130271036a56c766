import { PlanError, type SweepSpec } from "@infermark/core";
import { type ApiKey, DEFAULT_KEY_ENVS, readApiKey } from "../cli/bench/read-api-key.js";
import { UsageError } from "../errors.js";
import { SweepError } from "./sweep-error.js";

/** The spec's setting that names the key's variable, as messages name it. */
const OPTION = "bench.apiKeyEnv";

/** What `bench.apiKeyEnv` may hold: an environment variable's name. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The environment variable a spec names for its API key (`bench.apiKeyEnv`); undefined when it names none. */
export function apiKeyEnvOf(spec: Pick<SweepSpec, "bench">): string | undefined {
  const name = spec.bench?.apiKeyEnv;
  return typeof name === "string" ? name : undefined;
}

/**
 * The variables a sweep reads its key from, as `infermark bench` does: the one `bench.apiKeyEnv` names, else
 * INFERMARK_API_KEY, then OPENAI_API_KEY.
 * @example apiKeyEnvsOf({ bench: { apiKeyEnv: "GATEWAY_KEY" } }) // ["GATEWAY_KEY"]
 */
export function apiKeyEnvsOf(spec: Pick<SweepSpec, "bench">): readonly string[] {
  const named = apiKeyEnvOf(spec);
  return named === undefined ? DEFAULT_KEY_ENVS : [named];
}

/**
 * A key sent as `Authorization: Bearer` from the variable `variable`, beside a `bench.headers` Authorization, which
 * sets that header too: refused, naming both (a key a shell exports for other tools, OPENAI_API_KEY, is read unasked).
 * An external server's base URL holds no user and password to meet it: the plan refuses them (`checkSpecCredentials`).
 */
function checkOneAuthorization(spec: Pick<SweepSpec, "bench">, variable: string): void {
  const headers = spec.bench?.headers;
  const header =
    typeof headers === "object" &&
    headers !== null &&
    Object.keys(headers).some((name) => name.toLowerCase() === "authorization");
  if (header)
    throw new PlanError(
      `bench.headers sets Authorization and $${variable} holds an API key (${OPTION}; sent as Authorization: Bearer): both set the Authorization header; give one of them`,
    );
}

/**
 * Checks a spec's API key settings at plan time, whether the variable is set or not (a CI plan job has no secrets):
 * a key written in the spec (`bench.apiKey`) is refused, since a spec file is committed; `bench.apiKeyEnv` must be a
 * variable's name (a value that is not one may be the key itself, so it is not repeated) and must not meet another
 * Authorization. Throws PlanError.
 * @example checkApiKeyOptions({ bench: { apiKeyEnv: "GATEWAY_KEY" } }) // passes, set or not
 */
export function checkApiKeyOptions(spec: Pick<SweepSpec, "bench">): void {
  const bench = spec.bench ?? {};
  if ("apiKey" in bench)
    throw new PlanError(
      `bench.apiKey: a key in a spec file is committed with it; export it in an environment variable and name that with ${OPTION} (default ${DEFAULT_KEY_ENVS.join(", else ")})`,
    );
  const name = apiKeyEnvOf(spec);
  if (name === undefined) return;
  if (!VARIABLE_NAME.test(name))
    throw new PlanError(
      `${OPTION} expects the name of an environment variable (letters, digits and _, not first a digit), not the key`,
    );
  checkOneAuthorization(spec, name);
}

/**
 * The API key a sweep's load generator sends, read from the environment as `infermark bench` reads it
 * (`readApiKey`): the variable `bench.apiKeyEnv` names, which must be set (a SweepError otherwise), else
 * INFERMARK_API_KEY, else OPENAI_API_KEY; undefined when neither default is set. A key found beside another
 * Authorization is refused (PlanError). Read where the points are measured, before any server starts.
 * @example readSweepApiKey(spec, { INFERMARK_API_KEY: "sk-1" }) // { key: "sk-1", variable: "INFERMARK_API_KEY" }
 */
export function readSweepApiKey(
  spec: Pick<SweepSpec, "bench">,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ApiKey | undefined {
  let key: ApiKey | undefined;
  try {
    key = readApiKey(apiKeyEnvOf(spec), env, OPTION);
  } catch (error) {
    if (error instanceof UsageError) throw new SweepError(error.message, { cause: error });
    throw error;
  }
  if (key) checkOneAuthorization(spec, key.variable);
  return key;
}

/**
 * What the sweep's own requests to a server carry (readiness, the version probes), as the load generator's do: the
 * spec's `bench.headers` as sent (`readSpecHeaders`: each `${NAME}` replaced) and the API key as
 * `Authorization: Bearer`. vLLM's `--api-key` guards `/v1/models` too.
 * @example serverHeaders({ "x-team": "a" }, "k-1") // { "x-team": "a", authorization: "Bearer k-1" }
 */
export function serverHeaders(
  headers: Readonly<Record<string, string>>,
  apiKey: string | undefined,
): Record<string, string> {
  return { ...headers, ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) };
}
