import { describe, expect, it } from "vitest";
import {
  authorizationHeader,
  flagHoldsSecret,
  headerHoldsSecret,
  holdsSecret,
  keyHoldsSecret,
  secretVariable,
} from "./secret-name.js";

describe("secretVariable", () => {
  it("marks the names real secrets go by, in any case, by where the secret's word is", () => {
    const names = [
      "HF_TOKEN",
      "HUGGING_FACE_HUB_TOKEN",
      "OPENAI_API_KEY",
      "WANDB_API_KEY",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "NGC_API_KEY",
      "PGPASSWORD",
      "MYSQL_PWD",
      "SLURM_JWT",
      "hf_token",
      // a last KEY after any word but an index's, a last AUTH or PASS after another word
      "OPENAI_KEY",
      "AZURE_OPENAI_KEY",
      "ANTHROPIC_KEY",
      "HF_AUTH",
      "GATEWAY_AUTH",
      "REDIS_PASS",
      "gateway_key",
    ];
    expect(names.map(secretVariable)).toEqual(names.map(() => "secret"));
    expect(
      ["AWS_ACCESS_KEY_ID", "SECRET_KEY_BASE", "SGLANG_INIT_NEW_TOKEN_RATIO"].map(secretVariable),
    ).toEqual(["about a secret", "about a secret", "about a secret"]);
  });

  it("leaves the names of settings and of where a secret is", () => {
    const names = [
      "TOKENIZERS_PARALLELISM",
      "MAX_TOKENS",
      "VLLM_MAX_NUM_BATCHED_TOKENS",
      "HF_TOKEN_PATH",
      "AWS_SHARED_CREDENTIALS_FILE",
      "PWD",
      "OLDPWD",
      "SORT_KEY",
      "PARTITION_KEY",
      "CACHE_KEY",
      "SSH_AUTH_SOCK",
      // KEY, AUTH and PASS alone or before another word name a setting
      "KEY",
      "KEY_VALUE_CACHE_DTYPE",
      "VLLM_KEY_VALUE_CACHE",
      "AUTH_TYPE",
      "HF_AUTH_ENABLED",
      "PASS_THROUGH",
      "AUTH",
    ];
    expect(names.map(secretVariable)).toEqual(names.map(() => undefined));
  });
});

describe("holdsSecret and flagHoldsSecret", () => {
  it("take a secret's value, a PIN too, and not a switch nor the setting a name about a secret holds", () => {
    const pairs: [string, string, boolean][] = [
      ["HF_TOKEN", "hf_abc123", true],
      ["DB_PASSWORD", "123456", true],
      ["TOKENIZERS_PARALLELISM", "false", false],
      ["HF_HUB_DISABLE_IMPLICIT_TOKEN", "1", false],
      ["HF_TOKEN", " FALSE ", false],
      ["SGLANG_INIT_NEW_TOKEN_RATIO", "0.7", false],
      ["SGLANG_TOKEN_BUDGET", "131072", false],
      ["AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", true],
    ];
    expect(pairs.map(([name, value]) => holdsSecret(name, value))).toEqual(pairs.map((p) => p[2]));
  });

  it("take a flag that ends in a secret's word, not one that goes on after it", () => {
    const names = [
      "api-key",
      "api_key",
      "apikey",
      "hf-token",
      "passwd",
      "password",
      "access-key",
      "secret-key",
      "aws-secret-key",
      "client-secret",
      "openai-key",
      "hf-auth",
      "proxy-auth",
      "db-pass",
    ];
    expect(names.filter((n) => !flagHoldsSecret(n, "s-1"))).toEqual([]);
    const plain = [
      "api-key-env",
      "max-tokens",
      "tokenizer",
      "tokenizer-mode",
      "enable-auto-tool-choice",
      "kv-cache-dtype",
      "sort-key",
      "key",
      "auth",
      "auth-type",
    ];
    expect(plain.filter((n) => flagHoldsSecret(n, "s-1"))).toEqual([]);
    expect([
      flagHoldsSecret("use-auth-token", "true"),
      flagHoldsSecret("password", "1234"),
    ]).toEqual([false, true]);
  });
});

describe("keyHoldsSecret", () => {
  it("takes a flag's secret names and a header's credential, not a switch nor a name that goes on", () => {
    const pairs: [string, string, boolean][] = [
      ["api_key", "sk-1", true],
      ["Authorization", "Bearer sk-1", true],
      ["authorization", "Basic dTpw", true],
      ["Proxy-Authorization", "Basic dTpw", true],
      ["authorization", "false", false],
      ["authorization_check", "strict", false],
      ["Cookie", "sid=abcdefgh", true],
      ["max_tokens", "64", false],
      ["X-Api-Key", "k-1", true],
      ["X-Session-Id", "s-1", true],
      ["openai_key", "sk-1", true],
      ["X-Author", "alice", false],
      ["session_len", "4096", false],
      ["cache_key", "name", false],
    ];
    expect(pairs.map(([name, value]) => keyHoldsSecret(name, value))).toEqual(
      pairs.map((p) => p[2]),
    );
    // a flag is not judged as a header: `--disable-authorization --port 8000` would hide `--port`
    expect(flagHoldsSecret("disable-authorization", "--port")).toBe(false);
  });
});

describe("headerHoldsSecret and authorizationHeader", () => {
  it("take a credential header's value by its name, not a switch nor another header", () => {
    const pairs: [string, string, boolean][] = [
      ["Authorization", "Bearer sk-1", true],
      ["Proxy-Authorization", "Basic dTpw", true],
      ["X-Api-Key", "k-1", true],
      ["Api-Key", "k-1", true],
      ["Cookie", "sid=abc", true],
      ["X-Auth-Token", "t-1", true],
      ["X-Client-Secret", "s-1", true],
      ["X-Session-Sticky", "true", false],
      ["X-Api-Key", " ", false],
      ["Content-Type", "application/json", false],
      ["X-Request-Id", "42", false],
      ["X-Author", "alice", false],
      ["X-Authority", "h", false],
    ];
    expect(pairs.map(([name, value]) => headerHoldsSecret(name, value))).toEqual(
      pairs.map((p) => p[2]),
    );
    expect(["Authorization", "proxy-authorization", "X-Api-Key"].map(authorizationHeader)).toEqual([
      true,
      true,
      false,
    ]);
  });
});
