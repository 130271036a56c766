import { isSecretParameter } from "@infermark/bench";

/**
 * What credential a URL holds, in words that never repeat it: `a user and password`, `a credential in its query
 * (token=)`; undefined when none (or when it does not parse: the spec's schema refuses it).
 * @example urlCredential("http://h:9400/metrics?token=t-1") // "a credential in its query (token=)"
 */
export function urlCredential(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const u = new URL(url);
  if (u.username !== "" || u.password !== "") return "a user and password";
  const names = [...u.searchParams.keys(), ...new URLSearchParams(u.hash.slice(1)).keys()];
  const secret = names.find(isSecretParameter);
  return secret === undefined ? undefined : `a credential in its query (${secret}=)`;
}
