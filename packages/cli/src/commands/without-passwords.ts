/** `scheme://user:password@` (or `scheme:/`, as path.resolve writes a URL taken for a relative path): the password. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/?[^\s/?#@:"'<>]*):[^\s"'<>]*@/gi;

/**
 * Text with the password of every URL in it as `***`: a URL given where a file was expected (`infermark ingest
 * postgres://u:pw@db/x`, a spec or catalog path) is named in messages and outcomes, its password not. Up to the last
 * `@` of the URL, so a password with an `@` of its own is hidden whole.
 * @example withoutPasswords("https://u:pw@host/x.json: no such file") // "https://u:***@host/x.json: no such file"
 */
export function withoutPasswords(text: string): string {
  return text.replace(URL_PASSWORD, "$1:***@");
}
