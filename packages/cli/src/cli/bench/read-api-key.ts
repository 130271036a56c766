import { UsageError } from "../../errors.js";

/** The variables read for the API key when `--api-key-env` is not given, in order. */
export const DEFAULT_KEY_ENVS = ["INFERMARK_API_KEY", "OPENAI_API_KEY"];

/** An API key and the environment variable it was read from. */
export interface ApiKey {
  key: string;
  variable: string;
}

/**
 * The API key from the variable `name` (`--api-key-env NAME`) or the default variables, with where it came from;
 * never printed. A named variable that is unset or empty is a UsageError naming `option`, the setting that named it
 * (a sweep's is `bench.apiKeyEnv`).
 * @example readApiKey(undefined, { OPENAI_API_KEY: "sk-1" }) // { key: "sk-1", variable: "OPENAI_API_KEY" }
 */
export function readApiKey(
  name: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
  option = "--api-key-env",
): ApiKey | undefined {
  if (name !== undefined) {
    // a value that is no variable's name may be the key itself (`--api-key-env $OPENAI_API_KEY`): not shown
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new UsageError(
        `${option} expects the name of an environment variable (letters, digits and _), not its value; the value given is not shown`,
      );
    const value = env[name];
    if (!value) throw new UsageError(`${option}: environment variable ${name} is not set`);
    return { key: value, variable: name };
  }
  for (const variable of DEFAULT_KEY_ENVS) {
    const value = env[variable];
    if (value) return { key: value, variable };
  }
  return undefined;
}
