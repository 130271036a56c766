import { UsageError } from "../../errors.js";

/** The variables read for the API key when `--api-key-env` is not given, in order. */
export const DEFAULT_KEY_ENVS = ["INFERMARK_API_KEY", "OPENAI_API_KEY"];

/** An API key and the environment variable it was read from. */
export interface ApiKey {
  key: string;
  variable: string;
}

/** The API key from `--api-key-env NAME` or the default variables, with where it came from; never printed. */
export function readApiKey(name: string | undefined): ApiKey | undefined {
  if (name !== undefined) {
    const value = process.env[name];
    if (!value) throw new UsageError(`--api-key-env: environment variable ${name} is not set`);
    return { key: value, variable: name };
  }
  for (const env of DEFAULT_KEY_ENVS) {
    const value = process.env[env];
    if (value) return { key: value, variable: env };
  }
  return undefined;
}
