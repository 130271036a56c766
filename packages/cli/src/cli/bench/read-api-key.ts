import { UsageError } from "../../errors.js";

/** The variables read for the API key when `--api-key-env` is not given, in order. */
export const DEFAULT_KEY_ENVS = ["INFERMARK_API_KEY", "OPENAI_API_KEY"];

/** The API key from `--api-key-env NAME` or the default variables; never printed. */
export function readApiKey(name: string | undefined): string | undefined {
  if (name !== undefined) {
    const value = process.env[name];
    if (!value) throw new UsageError(`--api-key-env: environment variable ${name} is not set`);
    return value;
  }
  for (const env of DEFAULT_KEY_ENVS) if (process.env[env]) return process.env[env];
  return undefined;
}
