import { headerNameProblem, isCredentialHeader } from "@infermark/bench";
import { PlanError, type SweepSpec } from "@infermark/core";
import { SweepError } from "./sweep-error.js";

/** Header names whose values are credentials, as the load generator redacts them. */
export { isCredentialHeader };

/** `${NAME}` in a header value: what an environment variable replaces when the points are measured. */
const REFERENCE = /\$\{([^}]*)\}/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * What a credential header's value may be in a spec: a variable, after an auth scheme (`Bearer ${NAME}`) or a
 * cookie's name (`sid=${NAME}`) at most. Anything else written there is taken for the credential itself.
 */
const CREDENTIAL_VALUE = /^(?:[A-Za-z][A-Za-z0-9_.-]*[ =])?\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/** The spec's `bench.headers` that are strings (a value of another type is refused by `checkBenchOptions`). */
function specHeaders(spec: Pick<SweepSpec, "bench">): [string, string][] {
  const headers = spec.bench?.headers;
  if (typeof headers !== "object" || headers === null) return [];
  return Object.entries(headers).filter((e): e is [string, string] => typeof e[1] === "string");
}

/** The variables a header value names, in order. */
const referencesOf = (value: string): string[] => [...value.matchAll(REFERENCE)].map((m) => m[1]!);

/**
 * Checks a spec's `bench.headers` at plan time, set or not (a CI plan job has no secrets): a credential header
 * (`isCredentialHeader`) must take its value from an environment variable, `${NAME}` (`Bearer ${NAME}`), since a
 * spec file is committed; and every `${...}` must name a variable. Throws PlanError naming the header, never
 * repeating its value; a name that is none (`headerNameProblem`) is refused by its place, not shown.
 * @example checkSpecHeaders({ bench: { headers: { Authorization: "Bearer ${GATEWAY_TOKEN}" } } }) // passes
 */
export function checkSpecHeaders(spec: Pick<SweepSpec, "bench">): void {
  for (const [i, [name, value]] of specHeaders(spec).entries()) {
    // first, and without the name: typed the wrong way round (`Bearer sk-...: authorization`), it is the credential
    const problem = headerNameProblem(name);
    if (problem)
      throw new PlanError(
        `bench.headers: the name of header ${i + 1} ${problem} (the name is not shown: it may hold a credential)`,
      );
    if (referencesOf(value).some((ref) => !VARIABLE_NAME.test(ref)))
      throw new PlanError(
        `bench.headers.${name}: \${...} takes the name of an environment variable (letters, digits and _, not first a digit)`,
      );
    if (isCredentialHeader(name) && value.trim() !== "" && !CREDENTIAL_VALUE.test(value.trim()))
      throw new PlanError(
        `bench.headers.${name}: a credential in a spec file is committed with it; export it in an environment variable and write \${NAME} in its place (as "Bearer \${NAME}" where a scheme goes before it)`,
      );
  }
}

/**
 * The environment variables a spec's `bench.headers` name (`${NAME}`), each once: the sweep reads them where the
 * points are measured, and a GitHub workflow passes them to that step from the repository secrets of the same names.
 * @example headerVariables({ bench: { headers: { "X-Api-Key": "${GATEWAY_KEY}" } } }) // ["GATEWAY_KEY"]
 */
export function headerVariables(spec: Pick<SweepSpec, "bench">): string[] {
  return [...new Set(specHeaders(spec).flatMap(([, value]) => referencesOf(value)))];
}

/**
 * A spec's `bench.headers` with each `${NAME}` replaced by the variable's value from `env`, as they are sent (never
 * written). Read where the points are measured, before any server starts: a variable unset or empty, or holding a
 * line end, is a SweepError naming the header and the variable.
 * @example readSpecHeaders(spec, { GATEWAY_TOKEN: "t-1" }) // { Authorization: "Bearer t-1" }
 */
export function readSpecHeaders(
  spec: Pick<SweepSpec, "bench">,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of specHeaders(spec)) {
    out[name] = value.replace(REFERENCE, (_, variable: string) => {
      const set = env[variable];
      if (!set)
        throw new SweepError(`bench.headers.${name}: environment variable ${variable} is not set`);
      if (/[\r\n\0]/.test(set))
        throw new SweepError(
          `bench.headers.${name}: environment variable ${variable} holds CR, LF or NUL (a line end copied with it?): set it to the value alone`,
        );
      return set;
    });
  }
  return out;
}

/**
 * The values of a spec's credential headers as they are sent (`${NAME}` replaced where `env` sets it), for
 * redaction: a server may echo the whole `Bearer ...` as well as the variable's value.
 * @example credentialHeaderValues(spec, { GATEWAY_TOKEN: "t-1" }) // ["Bearer t-1"]
 */
export function credentialHeaderValues(
  spec: Pick<SweepSpec, "bench">,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  return specHeaders(spec)
    .filter(([name]) => isCredentialHeader(name))
    .map(([, value]) =>
      value.replace(REFERENCE, (written, variable: string) => env[variable] || written),
    );
}
