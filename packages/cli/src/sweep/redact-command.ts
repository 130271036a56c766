import type { SweepSpec } from "@infermark/core";
import { credentialHeaderValues, headerVariables } from "./spec-headers.js";
import { apiKeyEnvsOf } from "./sweep-api-key.js";

/** Environment variable names whose values are secrets. */
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|CREDENTIAL)/i;
/**
 * Flags whose next argument is a secret. A shell variable (`$VLLM_API_KEY`, `"${HF_TOKEN}"`) is no secret: it is kept,
 * and what follows it on the line with it.
 */
const SECRET_FLAG =
  /(--(?:[\w-]*token|[\w-]*api-key|[\w-]*secret|[\w-]*password)(?:=|\s+))(?!"?\$\{?[A-Za-z_])("[^"]*"|'[^']*'|\S+)/gi;
/** `NAME=value` assignments of secret-looking names (inline env, `-e NAME=value`); a shell variable is kept. */
const SECRET_ASSIGNMENT =
  /\b([A-Z0-9_]*(?:TOKEN|SECRET|PASSWORD|API_?KEY)[A-Z0-9_]*)=(?!"?\$\{?[A-Za-z_])("[^"]*"|'[^']*'|\S+)/g;

/** The values of secret-looking variables of an environment (HF_TOKEN, OPENAI_API_KEY, ...), longest first. */
export function secretValues(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([k, v]) => SECRET_NAME.test(k) && v !== undefined && v.length >= 4)
    .map(([, v]) => v!)
    .sort((a, b) => b.length - a.length);
}

/**
 * The secrets of a spec's `bench` options: the API key, as the variable it is read from holds it in `env`
 * (`bench.apiKeyEnv`, whatever its name, else INFERMARK_API_KEY and OPENAI_API_KEY), the values of the variables its
 * headers name (`${NAME}`, whatever the header), and the values of credential headers as they are sent.
 * @example benchSecrets({ bench: { apiKeyEnv: "GATEWAY_AUTH" } } as SweepSpec, { GATEWAY_AUTH: "k-123" }) // ["k-123"]
 */
export function benchSecrets(
  spec: SweepSpec,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string[] {
  const variables = headerVariables(spec).flatMap((name) => env[name] ?? []);
  const headers = credentialHeaderValues(spec, env);
  const keys = apiKeyEnvsOf(spec).flatMap((name) => env[name] ?? []);
  return [...keys, ...variables, ...headers].filter((v) => v.length >= 4);
}

/**
 * Every secret a sweep's files and messages must not hold, longest first: the secret-looking values of infermark's
 * environment and of the server's (`env`, the recipe's `server.env` as rendered), the API key (from the variable the
 * spec names, whatever its name) and the spec's credential headers.
 */
export function sweepSecrets(
  spec: SweepSpec,
  env: Readonly<Record<string, string | undefined>> = {},
): string[] {
  const all = new Set([...secretValues({ ...process.env, ...env }), ...benchSecrets(spec)]);
  return [...all].sort((a, b) => b.length - a.length);
}

/**
 * Redacts a server command for the record: values of secret flags (`--api-key X`, `--hf-token=X`), secret
 * assignments (`HF_TOKEN=X`), and every known secret value wherever it appears, become `***`.
 * @example redactCommand("vllm serve m --api-key sk-1", []) // "vllm serve m --api-key ***"
 */
export function redactCommand(command: string, secrets: readonly string[] = []): string {
  let out = command;
  for (const s of secrets) out = out.split(s).join("***");
  return out.replace(SECRET_FLAG, "$1***").replace(SECRET_ASSIGNMENT, "$1=***");
}
