/**
 * A word of a query parameter's name that makes its value a credential: `token`, `access_token`, `api_key`, `apikey`,
 * `key`, `sig` (an Azure SAS), `signature`, `X-Amz-Signature`, `X-Amz-Credential`, `X-Amz-Security-Token`, `secret`,
 * `password`, `auth`, `session`, `jwt`, `code` (an OAuth grant). Not `max_tokens`, `keyword`, `monkey`.
 */
const SECRET_PARAMETER_WORD =
  /^(?:\w*token|(?:api|access|auth|secret|private|shared|signing|account)?key|sig|signature|secret|password|passwd|pwd|auth|authorization|credentials?|session|jwt|code)$/;

/** A part of a URL percent-decoded, or as written where it does not decode (a lone `%`). */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Whether a query parameter's value is a credential, by the parameter's name (any case, in words split by `-`, `_`,
 * `.`: see SECRET_PARAMETER_WORD).
 * @example isSecretParameter("X-Amz-Signature") // true; isSecretParameter("max_tokens") // false
 */
export function isSecretParameter(name: string): boolean {
  return decoded(name.replaceAll("+", " "))
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .some((word) => SECRET_PARAMETER_WORD.test(word));
}

/** A query or fragment's `name=value` pairs, each value of a credential's name as `***`, the rest as written. */
const maskPairs = (part: string): string =>
  part
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      return eq > 0 && isSecretParameter(pair.slice(0, eq)) ? `${pair.slice(0, eq + 1)}***` : pair;
    })
    .join("&");

/**
 * A URL's query and fragment with the value of each parameter whose name is a credential's (`isSecretParameter`:
 * `?token=`, `?api_key=`, `?sig=`, `X-Amz-Signature=`) as `***`, everything else as written.
 * @example withoutSecretParameters("http://h/m?gpu=0&token=t-1") // "http://h/m?gpu=0&token=***"
 */
function withoutSecretParameters(url: string): string {
  const query = url.indexOf("?");
  const hash = url.indexOf("#");
  const start = query >= 0 && (hash < 0 || query < hash) ? query : hash;
  if (start < 0) return url;
  // `?a=1#b=2`: the query up to the fragment, then the fragment (OAuth's `#access_token=`)
  return url
    .slice(start)
    .split(/(?=#)/)
    .reduce((shown, part) => shown + part[0] + maskPairs(part.slice(1)), url.slice(0, start));
}

/**
 * The prefixes of well-known tokens: GitHub's (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), GitLab's
 * (`glpat-`, `gldt-`, `glrt-`, `glptt-`), Hugging Face's (`hf_`), OpenAI's and others' (`sk-`), Slack's (`xoxb-`).
 */
const TOKEN_PREFIX = /^(?:gh[pousr]_|github_pat_|gl(?:pat|dt|rt|ptt)-|hf_|sk-|xox[abpr]-)/i;
/** A user name no person picks: 20 or more letters, digits, `_` and `-` (a 40-hex GitHub token, base64url). */
const LONG_TOKEN = /^[A-Za-z0-9_-]{20,}$/;

/**
 * Whether a URL's user part (percent-encoded or not) is a token rather than a name, as GitHub, GitLab and Hugging
 * Face take one (`https://ghp_...@github.com/o/r.git`): it starts with a known token prefix (`ghp_`, `github_pat_`,
 * `glpat-`, `hf_`, `sk-`; 10 characters or more), is 20 or more letters, digits, `_` and `-`, or is 40 characters or
 * more. `git`, `me`, `ubuntu`, `x-access-token` and `first.last` are names.
 * @example isTokenUser("ghp_abcdef123456") // true; isTokenUser("git") // false
 */
export function isTokenUser(user: string): boolean {
  const name = decoded(user);
  return (
    (TOKEN_PREFIX.test(name) && name.length >= 10) || LONG_TOKEN.test(name) || name.length >= 40
  );
}

/**
 * A URL as a message may show it: without the password of its user part (`http://me:***@host`) and without a
 * user that is a token (`https://***@github.com`, `isTokenUser`), also when it does not parse (a port out of range, a `/` or `#` in a password that should have been percent-encoded), where everything
 * between the scheme and the last `@` is taken for the user part; and without the values of its query's and
 * fragment's credentials (`?token=***`, `?X-Amz-Signature=***`; `withoutSecretParameters`).
 * @example shownUrl("http://me:pw@gpu-1:9400/metrics") // "http://me:***@gpu-1:9400/metrics"
 * @example shownUrl("http://me:pw@gpu-1:99999") // "http://***@gpu-1:99999"
 * @example shownUrl("http://gpu-1:9400/metrics?token=t-1") // "http://gpu-1:9400/metrics?token=***"
 * @example shownUrl("https://ghp_abcdef123456@github.com/o/r") // "https://***@github.com/o/r"
 */
export function shownUrl(url: string): string {
  if (URL.canParse(url)) {
    const u = new URL(url);
    const tokenUser = isTokenUser(u.username);
    if (u.password === "" && !tokenUser) return withoutSecretParameters(url);
    if (tokenUser) u.username = "***";
    if (u.password !== "") u.password = "***";
    return withoutSecretParameters(u.href);
  }
  const at = url.lastIndexOf("@");
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  if (at < 0) return withoutSecretParameters(url);
  return withoutSecretParameters(`${scheme ?? ""}***${url.slice(at)}`);
}
