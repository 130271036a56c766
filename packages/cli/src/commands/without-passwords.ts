import { isSecretParameter, isTokenUser } from "@infermark/bench";

/**
 * `scheme://user@` or `scheme://user:password@` (or `scheme:/`, as path.resolve writes a URL taken for a relative
 * path): the scheme, the user and the password, up to the last `@` of the URL.
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/?)([^\s/?#@:"'<>]*)(?::([^\s"'<>]*))?@/gi;
/**
 * A query's or fragment's `name=value`, after `?`, `&` or `#`: the value up to a space, a quote, `&`, `#`, or the
 * `: ` after which a message says what is wrong with the path.
 */
const QUERY_PAIR = /([?&#])([^\s=&#?"'<>]+)=((?:[^\s&#"'<>:]|:(?!\s|$))*)/g;

/**
 * Text with the credentials of every URL in it as `***`, as `shownUrl` shows one URL: a URL given where a file was
 * expected (`infermark ingest postgres://u:pw@db/x`, a presigned S3 URL, a spec or catalog path) is named in
 * messages and outcomes, its credentials not. Masked are the password (up to the last `@` of the URL, so a password
 * with an `@` of its own is hidden whole), a user that is a token (`https://ghp_...@github.com`; `isTokenUser`), and
 * the value of each query or fragment parameter whose name is a credential's (`?token=`, `?sig=`,
 * `X-Amz-Signature=`; `isSecretParameter`).
 * @example withoutPasswords("https://u:pw@host/x.json: no such file") // "https://u:***@host/x.json: no such file"
 * @example withoutPasswords("/w/https:/b/k.json?X-Amz-Signature=ab: no such file") // "/w/https:/b/k.json?X-Amz-Signature=***: no such file"
 */
export function withoutPasswords(text: string): string {
  return text
    .replace(URL_USERINFO, (all, scheme: string, user: string, password?: string) => {
      const shownUser = isTokenUser(user) ? "***" : user;
      if (password === undefined) return shownUser === user ? all : `${scheme}***@`;
      return `${scheme}${shownUser}:***@`;
    })
    .replace(QUERY_PAIR, (all, start: string, name: string) =>
      isSecretParameter(name) ? `${start}${name}=***` : all,
    );
}
