import { flagHoldsSecret, isCredentialHeader, isSwitchValue, nameWords } from "@infermark/bench";

// the name rule is the load generator's too (it judges `--metadata` keys by it): one copy, there
export { flagHoldsSecret, holdsSecret, secretVariable } from "@infermark/bench";

/** The last word of a header's name whose value is a credential: `Authorization`, `Proxy-Authorization`. */
const HEADER_CREDENTIAL_WORD = "AUTHORIZATION";

/**
 * Whether a key of the JSON (or Python dict) a command holds names a secret: as a flag's name does
 * (`flagHoldsSecret`: `api_key`, `hf_token`, `openai_key`), or, a header's name (one with a `-`, or Authorization,
 * Cookie), as a header's does (`headerHoldsSecret`: `"Authorization": "Bearer ..."`, `"X-Session-Id": ...`,
 * `Proxy-Authorization`; not `"X-Author"`), with a value that is no switch. A config's key is not judged as a
 * header (`"session_len": 4096` is kept), nor a flag: a switch such as `--disable-authorization`, given no value,
 * would have the next flag taken for its secret.
 * @example keyHoldsSecret("Authorization", "Bearer sk-1") // true; keyHoldsSecret("authorization_check", "x") // false
 */
export function keyHoldsSecret(name: string, value: string): boolean {
  if (flagHoldsSecret(name, value)) return true;
  const last = nameWords(name).at(-1);
  const header = name.includes("-") || last === HEADER_CREDENTIAL_WORD || last === "COOKIE";
  return header && headerHoldsSecret(name, value);
}

/**
 * Whether a header a command sends (`curl -H 'X-Api-Key: ...'`, `--extra-headers Authorization=...`) holds a
 * credential: its name is a credential's, as a run judges one (`isCredentialHeader`: Authorization,
 * Proxy-Authorization, X-Api-Key, Api-Key, Cookie, a name ending in Token, Key, Secret or Password, a session's; not
 * X-Author), and its value is no switch (`X-Session-Sticky: true`).
 * @example headerHoldsSecret("X-Api-Key", "k-1") // true; headerHoldsSecret("Content-Type", "text/plain") // false
 */
export function headerHoldsSecret(name: string, value: string): boolean {
  return isCredentialHeader(name) && value.trim() !== "" && !isSwitchValue(value);
}

/**
 * Whether a header's value starts with an authentication scheme that may be shown (`Bearer`, `Basic`): the header
 * is an Authorization header (`Authorization`, `Proxy-Authorization`).
 * @example authorizationHeader("Proxy-Authorization") // true; authorizationHeader("X-Api-Key") // false
 */
export const authorizationHeader = (name: string): boolean =>
  nameWords(name).at(-1) === HEADER_CREDENTIAL_WORD;
