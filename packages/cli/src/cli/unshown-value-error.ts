import { UsageError } from "../errors.js";

/**
 * A flag's value refused without repeating any of it: a JSON body, a header or a KEY=VALUE pair often holds a
 * credential (`--extra-body '{"api_key": "sk-...'`). A UsageError (exit 2) where a parser would throw commander's
 * InvalidArgumentError, whose message commander prints after `argument '<the value>' is invalid.`.
 * @example throw unshownValueError("--metadata", "expects KEY=VALUE, got no =")
 */
export function unshownValueError(flag: string, reason: string): UsageError {
  return new UsageError(`${flag} ${reason} (the value is not shown: it may hold a credential)`);
}
