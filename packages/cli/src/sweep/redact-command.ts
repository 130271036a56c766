import { isCredentialHeader, isTokenUser, runSecrets } from "@infermark/bench";
import type { SweepSpec } from "@infermark/core";
import { withoutPasswords } from "../commands/without-passwords.js";
import {
  authorizationHeader,
  flagHoldsSecret,
  headerHoldsSecret,
  holdsSecret,
  keyHoldsSecret,
} from "./secret-name.js";
import { credentialHeaderValues, headerVariables } from "./spec-headers.js";
import { apiKeyEnvsOf } from "./sweep-api-key.js";

/**
 * A flag's or assignment's value as a command line writes it, from where the name ends: quoted, or up to a space, a
 * shell separator (`;`, `&`, `|`; a query's next `&key=`) or a quote that closes what it is in (`sh -c "... --api-key
 * sk-1"`, a JSON string's `"...?token=t-1", `). A shell variable (`$VLLM_API_KEY`, `"${HF_TOKEN}"`) is no
 * secret: it is not taken, and what follows it on the line is kept.
 */
const VALUE =
  /(?!"?\$\{?[A-Za-z_])(?:"[^"]*"|'[^']*'|(?:[^\s&;|<>()"']|["'](?![\s,:}\];&|<>()]|$))+)/y;
/** A flag's name and what ends it, `--name ` or `--name=`, or with one dash as Go's flags are written (`-token `). */
const FLAG = /(?<![\w-])--?([A-Za-z0-9][\w-]*)(?:=|\s+)/g;
/** An assignment's name, `NAME=` (inline env, `-e NAME=value`, a query's `token=...`). */
const ASSIGNMENT = /\b([A-Za-z_][A-Za-z0-9_]*)=/g;
/**
 * A quoted assignment given as a variable (`docker run -e "NAME=a b"`, `--env 'NAME=...'`, `--env="NAME=..."`, `env
 * "NAME=..."`, `export "NAME=..."`): the name, then the value, whole up to the closing quote, spaces and all.
 */
const QUOTED_ASSIGNMENT =
  /(?<![\w-])(?:-e|--env|env|export)(?:\s+|=)(?:"([A-Za-z_]\w*)=([^"]*)"|'([A-Za-z_]\w*)=([^']*)')/g;
/**
 * A header a command sends, `-H 'Name: value'`, `--header "Name: value"`, `--header=...`, `-H Name:value\ more`
 * (curl's, wget's), in a `bash -c '...'` string too (`\"` for its quotes): the quote it opens with (none, `"`, `'`,
 * `\"`, `\'`), the header's name, and what follows its colon.
 */
const HEADER =
  /(?<![\w-])(?:-H\s*|--header(?:\s+|=))(\\?["'])?([A-Za-z0-9][\w.-]*):(?:[ \t]|\\ )*/g;
/** A header's value by the quote it opened with: up to that quote, or unquoted up to an unescaped space. */
const HEADER_VALUE: Record<string, RegExp> = {
  "": /(?:\\.|[^\s"'\\;&|<>()])*/y,
  '"': /(?:\\.|[^"\\])*/y,
  "'": /[^']*/y,
  '\\"': /(?:(?!\\")[\s\S])*/y,
  "\\'": /(?:(?!\\')[\s\S])*/y,
};
/**
 * curl's user and password, `curl ... -u user:password` (`-uuser:pw`, `--user user:pw`, `--user="user:pw"`), in the
 * same simple command as `curl` (docker's `--user 1000:1000` is a user id): the quote the value opens with, then the
 * user and its colon.
 */
const CURL_USER = /(?<![\w-])curl\b[^;&|\n]*?\s(?:-u\s*|--user(?:\s+|=))(["']?)[^\s:"']*:/g;
/**
 * A header given as `Name=value` (`--extra-headers Authorization=Bearer\ sk-1`, `"Authorization=Bearer sk-1"`,
 * `X-Api-Key=k-1,X-Team=t`), in a `bash -c '...'` string too: the quote it opens with (none, `"`, `'`, `\"`, `\'`),
 * then the header's name, words joined by `-`, no `_` (`HF_TOKEN=` is a variable's, `ASSIGNMENT`'s). Not a URL's
 * query parameter, after `?`, `&` or `#` (`?X-Amz-Signature=`: `withoutPasswords` masks those, up to where the URL
 * ends).
 */
const HEADER_ASSIGNMENT =
  /(?<![\w$./:@%?&#\\-])(\\?["'])?([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)=(?!=)/g;
/** Where a list of `Name=value` headers goes on to the next (`X-Api-Key=k-1,X-Team=t`): the value ends there. */
const NEXT_HEADER_ASSIGNMENT = /,(?=[A-Za-z][A-Za-z0-9-]*=)/;
/** A quote a value opens with: `"`, `'`, or in a double-quoted shell string, `\"`, `\'`. */
const OPENING_QUOTE = /^\\?["']/;
/**
 * The one-letter options that take a password, by the tools that have them, in the same simple command: `mysql
 * -pPW`, `mysql -p PW` (which mysql reads as a database, but a user may mean as the password), `mariadb`,
 * `mysqldump` and the rest of their family, `sshpass -p PW`, `mongosh -p PW`, `redis-cli -a PW`, `docker login -p
 * PW` (podman's, nerdctl's, buildah's, skopeo's, `helm registry login`'s). Of any other command `-p` is no password
 * (`docker run -p 8000:8000`, `ssh -p 22`), and `--password PW` is a flag like any (`FLAG`).
 */
const PASSWORD_OPTIONS: readonly { tools: RegExp; option: RegExp }[] = [
  { tools: /mysql(?:dump|admin|import|check|show|slap|pump|sh)?|mariadb(?:-[a-z]+)?/, letter: "p" },
  { tools: /sshpass/, letter: "p" },
  { tools: /mongo(?:sh|dump|restore|export|import|stat|top)?/, letter: "p" },
  { tools: /redis-cli|valkey-cli/, letter: "a" },
  {
    tools: /(?:docker|podman|nerdctl|buildah|skopeo)\s+login|helm\s+registry\s+login/,
    letter: "p",
  },
].map(({ tools, letter }) => ({
  // the tool's name whole (`/usr/bin/mysql`, not `mysqld` nor `my-mysql-proxy`)
  tools: new RegExp(`(?<![\\w.-])(?:${tools.source})(?![\\w.-])`, "g"),
  // the option, its value joined to it (`-pPW`) or after a space
  option: new RegExp(`(?<=\\s)-${letter}(?:[ \\t]+)?`, "g"),
}));
/** An Authorization header's scheme and the space after it (`Bearer `, `Basic\ `), which is shown. */
const AUTH_SCHEME = /^[A-Za-z][\w.+-]*(?:\s+|\\ )(?=\S)/;
/** What stands before a Basic credential a command sends (`Authorization: Basic `, `Authorization=Basic\ `). */
const BASIC_BEFORE = /\bBasic(?:\s+|\\ )$/i;
/** A scheme given with no credentials (`Authorization: Bearer`): a word to keep, not a secret to hide in every log. */
const BARE_SCHEME = /^(?:Bearer|Basic|Digest|Negotiate|Token)$/i;
/** A value that is a shell variable and nothing else, `$KEY` or `${KEY}`: no secret. */
const ONLY_VARIABLE = /^\$(?:[A-Za-z_]\w*|\{[A-Za-z_]\w*\})$/;
/** What, after a flag and a space, is the next flag rather than its value (`--hf-token --port 8000`, `-p`, `--`). */
const NEXT_FLAG = /^-[-A-Za-z]/;
/** `scheme://user:password@`: the password of a URL (as `withoutPasswords` finds it), to redact in a server's log. */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:"'<>]*:([^\s"'<>/?#]*)@/gi;
/** `scheme://user@` or `scheme://user:`: the user of a URL, which may be a token (`https://ghp_...@github.com`). */
const URL_USER = /\b[a-z][a-z0-9+.-]*:\/\/([^\s/?#@:"'<>]+)[:@]/gi;

/**
 * A JSON key and its colon, `"name": ` or, in a double-quoted shell string, `\"name\": ` (`--hf-overrides
 * '{"api_key": "sk-1"}'`, `-e CONFIG="{\"password\": \"x\"}"`), or a Python dict's, `'name': ` (`--hf-overrides
 * "{'api_key': 'sk-1'}"`), or a Python subscript's and its `=` (`os.environ['HF_TOKEN'] = 'hf_...'`); the key's quote
 * is the first group, its name the second.
 */
const JSON_KEY = /(\\?"|')([A-Za-z_][\w.-]*)\1(?:\s*:|\]\s*=(?!=))\s*/g;
/**
 * A string value's text between its quotes, as written: JSON's (`"..."`), the same in a double-quoted shell string
 * (`\"...\"`) and a Python dict's (`'...'`).
 */
const STRINGS = [
  { quote: '\\"', text: /\\"((?:[^"\\]|\\[^"])*)\\"/y },
  { quote: '"', text: /"((?:[^"\\]|\\.)*)"/y },
  { quote: "'", text: /'((?:[^'\\]|\\.)*)'/y },
] as const;
/** A JSON number or literal (`3`, `true`, `null`), or a word left unquoted by mistake: up to what ends a value. */
const JSON_SCALAR = /[^\s,:{}[\]"'\\]+/y;
/** A shell variable, `$HF_TOKEN` or `${HF_TOKEN}`: no secret. */
const SHELL_VARIABLE = /^\$\{?[A-Za-z_]/;

/** A value without the quotes around it. */
const unquoted = (value: string) => value.replace(/^(["'])(.*)\1$/s, "$2");
/** A value hidden wherever it appears has 4 characters or more: hiding a shorter one would hide every `abc` too. */
const hideable = (value: string) => value.trim().length >= 4;

/** Where a secret value starts and ends in a text, and what to show there (`***` unless it says). */
type Span = readonly [start: number, end: number, shown?: string];

/**
 * The values after the names `names` finds in `text` that are secrets, as `isSecret` judges a name and its value
 * (`flagHoldsSecret`, `holdsSecret`: `--enforce-eager false` and `TOKENIZERS_PARALLELISM=false` are kept). A value
 * that is not a secret is not passed over, so a name that follows at once is found (`--enforce-eager --api-key sk-1`);
 * a flag after a space is no value (`--hf-token --port 8000` keeps `--port`), after `=` it is (`--api-key=-x`).
 */
function secretSpans(
  text: string,
  names: RegExp,
  isSecret: (name: string, value: string) => boolean,
): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(names)) {
    const start = m.index + m[0].length;
    if (m.index < (spans.at(-1)?.[1] ?? 0)) continue;
    VALUE.lastIndex = start;
    const value = VALUE.exec(text)?.[0];
    // `--hf-token --port 8000`: a switch given no value, followed by the next flag
    if (value === undefined || (!m[0].endsWith("=") && NEXT_FLAG.test(value))) continue;
    if (isSecret(m[1]!, unquoted(value))) spans.push([start, start + value.length]);
  }
  return spans;
}

/**
 * The values of the secret keys of the JSON (or Python dict) a command holds, by the keys' names as flags' and
 * headers' are judged (`keyHoldsSecret`, camelCase taken as words: `apiKey`, `hf_token`, `password`, `Authorization`;
 * not `max_tokens`, `num_speculative_tokens`, nor a switch, `"use_auth_token": true`): a string's text between its
 * quotes (an Authorization header's after its scheme, which is shown: `"Authorization": "Bearer ***"`), a number
 * whole, to be shown as a string in the key's quotes (`"pin": "***"`, `'pin': '***'`), so that the text keeps its
 * shape. A shell variable is kept.
 */
function jsonSpans(command: string): Span[] {
  const spans: Span[] = [];
  for (const m of command.matchAll(JSON_KEY)) {
    const start = m.index + m[0].length;
    const string = STRINGS.find(({ quote }) => command.startsWith(quote, start));
    let text: string | undefined;
    if (string) {
      string.text.lastIndex = start;
      text = string.text.exec(command)?.[1];
    }
    JSON_SCALAR.lastIndex = start;
    const value = text ?? JSON_SCALAR.exec(command)?.[0];
    const name = m[2]!.replace(/([a-z0-9])([A-Z])/g, "$1_$2");
    if (value === undefined || SHELL_VARIABLE.test(value) || !keyHoldsSecret(name, value)) continue;
    if (text === undefined) {
      spans.push([start, start + value.length, `${m[1]}***${m[1]}`]);
      continue;
    }
    // `"Authorization": "Bearer ***"`: the scheme is shown, and the token alone is the secret to hide elsewhere
    const scheme = authorizationHeader(m[2]!) ? (AUTH_SCHEME.exec(text)?.[0] ?? "") : "";
    const token = text.slice(scheme.length);
    if (BARE_SCHEME.test(token) || SHELL_VARIABLE.test(token)) continue;
    const from = start + string!.quote.length + scheme.length;
    spans.push([from, from + token.length]);
  }
  return spans;
}

/**
 * The values of the secret variables a command sets in quotes (`-e "HF_TOKEN=a b"`; `QUOTED_ASSIGNMENT`), whole up
 * to the closing quote: `ASSIGNMENT` alone would stop at the space. A shell variable is kept.
 */
function quotedAssignmentSpans(command: string): Span[] {
  const spans: Span[] = [];
  for (const m of command.matchAll(QUOTED_ASSIGNMENT)) {
    const name = m[1] ?? m[3]!;
    const value = m[2] ?? m[4]!;
    if (ONLY_VARIABLE.test(value) || !holdsSecret(name, value)) continue;
    const end = m.index + m[0].length - 1;
    spans.push([end - value.length, end]);
  }
  return spans;
}

/**
 * The values of the credential headers a command sends (`HEADER`; `headerHoldsSecret`: `-H 'Authorization: Bearer
 * sk-1'`, `--header "X-Api-Key: k"`, `-H 'Cookie: sid=...'`), by the header's name whatever the value; an
 * Authorization header's scheme is shown (`Authorization: Bearer ***`). A value that is a shell variable is kept
 * (`-H "Authorization: Bearer $VLLM_API_KEY"`).
 */
function headerSpans(command: string): Span[] {
  const spans: Span[] = [];
  for (const m of command.matchAll(HEADER)) {
    let start = m.index + m[0].length;
    const valueRe = HEADER_VALUE[m[1] ?? ""]!;
    valueRe.lastIndex = start;
    let value = valueRe.exec(command)?.[0] ?? "";
    const name = m[2]!;
    const scheme = authorizationHeader(name) ? (AUTH_SCHEME.exec(value)?.[0] ?? "") : "";
    start += scheme.length;
    value = value.slice(scheme.length).trimEnd();
    if (ONLY_VARIABLE.test(value) || BARE_SCHEME.test(value) || !headerHoldsSecret(name, value))
      continue;
    spans.push([start, start + value.length]);
  }
  return spans;
}

/**
 * The values of the credential headers a command gives as `Name=value` (`HEADER_ASSIGNMENT`; `headerHoldsSecret`:
 * `--extra-headers Authorization=Bearer\ sk-1`, `"X-Api-Key=k-1"`, `Authorization="Bearer sk-1"`), each up to its
 * closing quote, or unquoted up to an unescaped space or the list's next header; an Authorization header's scheme is
 * shown, and a scheme left alone by an unquoted space has the next word for its token (`Authorization=Bearer ***`).
 * A shell variable is kept.
 */
function headerAssignmentSpans(command: string): Span[] {
  const spans: Span[] = [];
  for (const m of command.matchAll(HEADER_ASSIGNMENT)) {
    const name = m[2]!;
    if (!isCredentialHeader(name)) continue;
    let start = m.index + m[0].length;
    let quote = m[1] ?? "";
    if (quote === "") {
      quote = OPENING_QUOTE.exec(command.slice(start))?.[0] ?? "";
      start += quote.length;
    }
    const valueRe = HEADER_VALUE[quote]!;
    valueRe.lastIndex = start;
    let value = valueRe.exec(command)?.[0] ?? "";
    value = value.split(NEXT_HEADER_ASSIGNMENT)[0]!;
    const scheme = authorizationHeader(name) ? (AUTH_SCHEME.exec(value)?.[0] ?? "") : "";
    start += scheme.length;
    value = value.slice(scheme.length).trimEnd();
    if (quote === "" && authorizationHeader(name) && BARE_SCHEME.test(value)) {
      // `Authorization=Bearer sk-1` unquoted: the shell passes the token as the next word
      const gap = /^[ \t]+/.exec(command.slice(start + value.length))?.[0];
      if (gap === undefined) continue;
      start += value.length + gap.length;
      HEADER_VALUE[""]!.lastIndex = start;
      value = HEADER_VALUE[""]!.exec(command)?.[0] ?? "";
      if (NEXT_FLAG.test(value)) continue;
    }
    if (ONLY_VARIABLE.test(value) || BARE_SCHEME.test(value) || !headerHoldsSecret(name, value))
      continue;
    spans.push([start, start + value.length]);
  }
  return spans;
}

/**
 * The passwords a command gives a tool's one-letter password option (`PASSWORD_OPTIONS`: `mysql -p***`, `mysql -p
 * ***`, `sshpass -p ***`, `redis-cli -a ***`), in the tool's simple command; a shell variable, and a next flag
 * (`mysql -p -h db`, which asks for it), are kept.
 */
function passwordOptionSpans(command: string): Span[] {
  const spans: Span[] = [];
  for (const { tools, option: options } of PASSWORD_OPTIONS) {
    for (const tool of command.matchAll(tools)) {
      const from = tool.index + tool[0].length;
      const end = command.slice(from).search(/[;&|\n]/);
      const words = command.slice(from, end < 0 ? command.length : from + end);
      for (const option of words.matchAll(options)) {
        const start = from + option.index + option[0].length;
        VALUE.lastIndex = start;
        const value = VALUE.exec(command)?.[0];
        if (value === undefined || NEXT_FLAG.test(value) || ONLY_VARIABLE.test(unquoted(value)))
          continue;
        spans.push([start, start + value.length]);
      }
    }
  }
  return spans;
}

/** The passwords curl is given with its user (`CURL_USER`: `curl -u me:***`); a shell variable is kept. */
function curlUserSpans(command: string): Span[] {
  const spans: Span[] = [];
  for (const m of command.matchAll(CURL_USER)) {
    const start = m.index + m[0].length;
    const value = /^[^\s"';&|<>]*/.exec(command.slice(start))![0];
    const end = m[1] ? command.indexOf(m[1], start) : start + value.length;
    const password = command.slice(start, end < 0 ? command.length : end);
    if (password !== "" && !ONLY_VARIABLE.test(password))
      spans.push([start, start + password.length]);
  }
  return spans;
}

/**
 * The values of a command's secret flags (`--api-key X`), assignments (`HF_TOKEN=X`, `-e "HF_TOKEN=X Y"`), JSON keys
 * (`"api_key": "X"`), credential headers (`-H 'Authorization: Bearer X'`, `Authorization=Bearer\ X`), curl's password
 * (`-u me:X`) and a tool's password option (`mysql -pX`), in order;
 * one inside another's (a JSON given to `--api-key`) is the outer one's, and of two that start together the longer
 * is taken.
 */
const writtenSpans = (command: string): Span[] =>
  [
    ...secretSpans(command, FLAG, flagHoldsSecret),
    ...secretSpans(command, ASSIGNMENT, holdsSecret),
    ...quotedAssignmentSpans(command),
    ...jsonSpans(command),
    ...headerSpans(command),
    ...headerAssignmentSpans(command),
    ...curlUserSpans(command),
    ...passwordOptionSpans(command),
  ]
    .sort((a, b) => a[0] - b[0] || b[1] - a[1])
    .filter((span, i, all) => i === 0 || span[0] >= all[i - 1]![1]);

/**
 * The secrets written in a command, to hide wherever else they appear (an engine logs its arguments as it starts):
 * the values of its secret flags, assignments and JSON keys (see `redactCommand`), unquoted, each of 4 characters or
 * more, the passwords of its URLs and the users of its URLs that are tokens (`isTokenUser`). A Basic credential
 * (`-H 'Authorization: Basic <base64>'`) also gives what a server that decoded it may say, `user:password` and the
 * password, as a run takes its own headers' (`runSecrets`).
 * @example commandSecrets("serve --api-key sk-123 --port 8000") // ["sk-123"]
 */
export function commandSecrets(command: string): string[] {
  const values = writtenSpans(command).flatMap(([start, end]) => {
    const value = unquoted(command.slice(start, end));
    if (!BASIC_BEFORE.test(command.slice(0, start))) return [value];
    // the scheme is shown: the header's whole value is no secret to hide elsewhere
    const header = `Basic ${value}`;
    return runSecrets({ headers: { authorization: header } }).filter((s) => s !== header);
  });
  const tokenUsers = [...command.matchAll(URL_USER)].flatMap(([, user]) =>
    isTokenUser(user!) ? [user!] : [],
  );
  return [...new Set([...values.filter(hideable), ...urlPasswords(command), ...tokenUsers])];
}

/**
 * The secrets of an environment, longest first: the values of its secret-looking variables that are secrets
 * (`holdsSecret`: HF_TOKEN, OPENAI_API_KEY, AWS_SECRET_ACCESS_KEY; not TOKENIZERS_PARALLELISM=false, nor
 * SGLANG_INIT_NEW_TOKEN_RATIO=0.7), each of 4 characters or more. The password of a URL another variable holds
 * (`HTTPS_PROXY=http://u:pw@proxy`, a test's `postgres://infermark:infermark@...`) is not among them: hidden wherever
 * it appears, a common word would be hidden in every path and name (`/tmp/infermark-...` read `/tmp/***-...`); a URL
 * that shows it is masked by its form instead (`redactCommand`).
 * @example secretValues({ HF_TOKEN: "hf_abc1", TOKENIZERS_PARALLELISM: "false" }) // ["hf_abc1"]
 */
export function secretValues(env: Readonly<Record<string, string | undefined>>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (holdsSecret(name, value) && hideable(value)) values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/**
 * The passwords of the URLs in a text, as written and percent-decoded, of 4 characters or more.
 * @example urlPasswords("--kv redis://u:p%40ss@h") // ["p%40ss", "p@ss"]
 */
export function urlPasswords(text: string): string[] {
  const found = new Set<string>();
  for (const [, password] of text.matchAll(URL_PASSWORD)) {
    found.add(password!);
    try {
      found.add(decodeURIComponent(password!));
    } catch {
      // a lone `%`: only as written
    }
  }
  return [...found].filter((p) => p.length >= 4);
}

/**
 * The secrets of a spec's `bench` options: the API key, as the variable it is read from holds it in `env`
 * (`bench.apiKeyEnv`, whatever its name, else INFERMARK_API_KEY and OPENAI_API_KEY), the values of the variables its
 * headers name (`${NAME}`, whatever the header), and the values of credential headers as they are sent.
 * @example benchSecrets({ bench: { apiKeyEnv: "GATEWAY_AUTH" } } as SweepSpec, { GATEWAY_AUTH: "k-123" }) // ["k-123"]
 */
export function benchSecrets(
  spec: SweepSpec,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string[] {
  const variables = headerVariables(spec).flatMap((name) => env[name] ?? []);
  const headers = credentialHeaderValues(spec, env);
  const keys = apiKeyEnvsOf(spec).flatMap((name) => env[name] ?? []);
  return [...keys, ...variables, ...headers].filter((v) => v.length >= 4);
}

/**
 * Every secret a sweep's files and messages must not hold, longest first: the secrets of infermark's environment and
 * of the server's (`secretValues` of `env`, the recipe's `server.env` as rendered), those written in the recipe's
 * command (`commandSecrets`: `--api-key sk-1`, `redis://u:pw@h`), the API key (from the variable the spec names,
 * whatever its name) and the spec's credential headers.
 */
export function sweepSecrets(
  spec: SweepSpec,
  env: Readonly<Record<string, string | undefined>> = {},
): string[] {
  const recipe = spec.server;
  const command =
    "command" in recipe ? `${recipe.command} ${"args" in recipe ? recipe.args : ""}` : "";
  const all = new Set([
    ...secretValues({ ...process.env, ...env }),
    ...benchSecrets(spec),
    ...commandSecrets(command),
  ]);
  return [...all].sort((a, b) => b.length - a.length);
}

/**
 * Redacts a server command for the record: values of secret flags (`--api-key X`, `--api_key=X`, `--passwd X`,
 * `--access-key X`, `--openai-key X`; `flagHoldsSecret`), of secret assignments (`HF_TOKEN=X`, `hf_token=X`,
 * `OPENAI_KEY=X`; `holdsSecret`), URL passwords (`redis://u:***@h`, `curl -u me:***`), tools' password options
 * (`mysql -p***`), credential headers (`-H 'Authorization: Bearer ***'`, `--extra-headers Authorization=Bearer ***`,
 * `'{"Authorization": "Bearer ***"}'`; see `writtenSpans`) and every known secret value wherever it appears, become
 * `***`. A value that is a switch (`--hf-token false`), a setting a name about a secret holds
 * (`SGLANG_INIT_NEW_TOKEN_RATIO=0.7`), a shell variable (`--api-key $VLLM_API_KEY`), or the next flag (`--hf-token
 * --port 8000`), is kept.
 * @example redactCommand("vllm serve m --api-key sk-1 --enforce-eager false", []) // "vllm serve m --api-key *** --enforce-eager false"
 */
export function redactCommand(command: string, secrets: readonly string[] = []): string {
  let out = command;
  for (const s of secrets) out = out.split(s).join("***");
  let shown = "";
  let at = 0;
  for (const [start, end, hidden = "***"] of writtenSpans(out)) {
    shown += `${out.slice(at, start)}${hidden}`;
    at = end;
  }
  return withoutPasswords(shown + out.slice(at));
}
