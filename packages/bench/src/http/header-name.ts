/** A header name: an HTTP token (RFC 9110). */
const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Why `name` is not a header name, in words that never repeat it (a header typed the wrong way round, `Bearer sk-1:
 * x`, has the credential for a name): `has a space`, `holds "@"`, `is empty`; undefined when it is one.
 * @example headerNameProblem("Bearer sk-1") // "has a space (a header name is one word, as Authorization)"
 */
export function headerNameProblem(name: string): string | undefined {
  if (NAME.test(name)) return undefined;
  if (name === "") return "is empty";
  if (/\s/.test(name)) return "has a space (a header name is one word, as Authorization)";
  const bad = [...name].find((c) => !NAME.test(c))!;
  // one character of punctuation gives nothing away; another (a letter of a non-Latin script) is not shown
  return /^[\x21-\x7e]$/.test(bad)
    ? `holds ${JSON.stringify(bad)}, which no header name may`
    : "holds a character no header name may (letters, digits and !#$%&'*+-.^_`|~ only)";
}
