/*
 * How a name marks its value a secret, by its words: a variable's (HF_TOKEN), a flag's (`--api-key`), a `--metadata`
 * key's. The load generator judges its metadata by it; the sweep its environment, commands and recipes.
 */

/**
 * A word of a name that makes the name a secret's wherever it is, ending the word: HF_TOKEN, GH_TOKEN,
 * AWS_SESSION_TOKEN, CLIENT_SECRET, PGPASSWORD, OPENAI_APIKEY, SLURM_JWT, GOOGLE_CREDENTIALS. TOKENS and TOKENIZERS
 * are other words (MAX_TOKENS, TOKENIZERS_PARALLELISM).
 */
const SECRET_WORD =
  /(?:TOKEN|SECRETS?|PASSWORD|PASSWD|PASSPHRASE|APIKEY|AUTHKEY|CREDENTIALS?|JWT)$/;
/**
 * A whole word that makes a name a secret's when it ends the name after another word: OPENAI_KEY, AZURE_OPENAI_KEY,
 * HF_AUTH, REDIS_PASS. Alone (KEY=, `--auth basic`) or before another word (KEY_VALUE_CACHE_DTYPE, AUTH_TYPE,
 * SSH_AUTH_SOCK, PASS_THROUGH), it names a setting.
 */
const LAST_SECRET_WORD = /^(?:KEY|AUTH|PASS)$/;
/**
 * A word that, before a last KEY, makes the key an index's, not a credential (SORT_KEY, PARTITION_KEY, CACHE_KEY):
 * its value is a short common word (`name`), which, hidden wherever it appears, would hide every `name` of a sweep's
 * records.
 */
const PLAIN_KEY_OWNER =
  /^(?:SORT|PRIMARY|PARTITION|SHARD|ROUTING|CACHE|GROUP|LOOKUP|INDEX|FOREIGN|UNIQUE|PUBLIC)$/;
/** A word that, before KEY anywhere in a name, makes it a secret's: API_KEY, ACCESS_KEY_ID, SECRET_KEY_BASE. */
const KEY_OWNER = /^(?:API|ACCESS|PRIVATE|AUTH|SIGNING|ENCRYPTION|SECRET)$/;
/** A last word that makes a name the place of a secret, not the secret: HF_TOKEN_PATH, AWS_SHARED_CREDENTIALS_FILE. */
const PLACE_WORD = /^(?:PATH|FILE|DIR)$/;
/** A switch, which no secret is: HF_HUB_DISABLE_IMPLICIT_TOKEN=1, `--use-auth-token true`. */
const SWITCH = /^(?:true|false|yes|no|on|off|none|null|auto|enabled?|disabled?|0|1)$/i;
/** A number of at most 7 digits (a token budget, a ratio: SGLANG_INIT_NEW_TOKEN_RATIO=0.7, PAD_TOKEN_ID=0). */
const SMALL_NUMBER = /^[+-]?(?:\d{1,7}(?:\.\d*)?|\.\d{1,7})(?:e[+-]?\d{1,3})?$/i;

/**
 * The upper-case words of a variable's, flag's or key's name: `--hf-token` and `hf_token` are HF, TOKEN.
 * @example nameWords("--hf-token") // ["HF", "TOKEN"]
 */
export const nameWords = (name: string): string[] =>
  name
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);

/**
 * Whether the word at `i` makes the name a secret's: TOKEN anywhere; KEY after API and PWD after any word anywhere
 * (MYSQL_PWD; PWD and OLDPWD themselves are the working folder); a last KEY after any word but a plain key's owner
 * (OPENAI_KEY, not SORT_KEY); a last AUTH or PASS after another word (HF_AUTH).
 */
function secretAt(words: readonly string[], i: number): boolean {
  const word = words[i]!;
  if (SECRET_WORD.test(word)) return true;
  if (i === 0) return false;
  if ((word === "KEY" && KEY_OWNER.test(words[i - 1]!)) || word === "PWD") return true;
  if (i !== words.length - 1 || !LAST_SECRET_WORD.test(word)) return false;
  return word !== "KEY" || !PLAIN_KEY_OWNER.test(words[i - 1]!);
}

/**
 * How a variable's name (or an assignment's, `hf_token=...`, in any case) marks its value: `secret` where its last
 * word is a secret's (HF_TOKEN, HUGGING_FACE_HUB_TOKEN, OPENAI_API_KEY, OPENAI_KEY, AZURE_OPENAI_KEY, HF_AUTH,
 * WANDB_API_KEY, AWS_SECRET_ACCESS_KEY, NGC_API_KEY, MYSQL_PWD, REDIS_PASS; see `secretAt`), `about a secret` where
 * another word is (AWS_ACCESS_KEY_ID, SECRET_KEY_BASE, and SGLANG_INIT_NEW_TOKEN_RATIO, whose value is a setting),
 * undefined where none is (TOKENIZERS_PARALLELISM, MAX_TOKENS, VLLM_MAX_NUM_BATCHED_TOKENS, SORT_KEY,
 * KEY_VALUE_CACHE_DTYPE, SSH_AUTH_SOCK) or the last word says it names where a secret is (HF_TOKEN_PATH).
 * @example secretVariable("HF_TOKEN") // "secret"; secretVariable("TOKENIZERS_PARALLELISM") // undefined
 */
export function secretVariable(name: string): "secret" | "about a secret" | undefined {
  const words = nameWords(name);
  if (words.length === 0 || PLACE_WORD.test(words.at(-1)!)) return undefined;
  if (secretAt(words, words.length - 1)) return "secret";
  return words.some((_, i) => secretAt(words, i)) ? "about a secret" : undefined;
}

/**
 * Whether a variable (or an assignment) holds a secret, by its name (`secretVariable`) and its value: not a switch
 * (`false`, `auto`, `1`), whatever the name, and not a small number (`8192`, `0.7`) where the secret's word is not
 * the name's last (SGLANG_INIT_NEW_TOKEN_RATIO=0.7). Hiding those would hide every `false` and `8192` of a sweep's
 * records; a PIN in DB_PASSWORD is hidden.
 * @example holdsSecret("HF_TOKEN", "hf_abc") // true; holdsSecret("TOKENIZERS_PARALLELISM", "false") // false
 */
export function holdsSecret(name: string, value: string): boolean {
  const marked = secretVariable(name);
  const v = value.trim();
  if (marked === undefined || SWITCH.test(v)) return false;
  return marked === "secret" || !SMALL_NUMBER.test(v);
}

/**
 * Whether a flag (its name without the dashes) holds a secret: its name ends in a secret's word (`--hf-token`,
 * `--api-key`, `--api_key`, `--apikey`, `--passwd`, `--access-key`, `--secret-key`, `--client-secret`,
 * `--openai-key`, `--proxy-auth`, `--db-pass`; as `secretVariable` judges a name), and its value is no switch
 * (`--use-auth-token true`). A word after it makes it another flag: `--api-key-env NAME` names a variable,
 * `--tokenizer-mode auto` is no token.
 * @example flagHoldsSecret("api_key", "sk-1") // true; flagHoldsSecret("api-key-env", "NAME") // false
 */
export function flagHoldsSecret(name: string, value: string): boolean {
  const words = nameWords(name);
  return words.length > 0 && secretAt(words, words.length - 1) && !SWITCH.test(value.trim());
}

/**
 * Whether a value is a switch, which no secret is, whatever names it (`false`, `auto`, `1`, `none`).
 * @example isSwitchValue(" true ") // true; isSwitchValue("hf_abc") // false
 */
export const isSwitchValue = (value: string): boolean => SWITCH.test(value.trim());
