// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is what a spec writes in a header for an environment variable
import { describe, expect, it } from "vitest";
import { externalSpec } from "../../test/external-spec.js";
import { benchSecrets, commandSecrets, redactCommand, secretValues } from "./redact-command.js";

const spec = externalSpec;

describe("redactCommand", () => {
  it("hides the values of secret flags and assignments, and every known secret value", () => {
    expect(
      redactCommand(
        "HF_TOKEN=hf_1 vllm serve m --api-key sk-1 --hf-token='x y' --port 8000 && echo sk-known",
        ["sk-known"],
      ),
    ).toBe("HF_TOKEN=*** vllm serve m --api-key *** --hf-token=*** --port 8000 && echo ***");
  });

  it("keeps a shell variable given as a secret flag's value, and what follows it", () => {
    // before, `--api-key $KEY"; exit 3` became `--api-key *** exit 3`: the reference is no secret, and the quote
    // and separator after it went with it
    expect(redactCommand('sh -c "serve --api-key $VLLM_API_KEY"; exit 3')).toBe(
      'sh -c "serve --api-key $VLLM_API_KEY"; exit 3',
    );
    expect(redactCommand(`serve --api-key \${VLLM_API_KEY} --token="$HF_TOKEN" --port 1`)).toBe(
      `serve --api-key \${VLLM_API_KEY} --token="$HF_TOKEN" --port 1`,
    );
    expect(redactCommand("HF_TOKEN=$HF_TOKEN serve")).toBe("HF_TOKEN=$HF_TOKEN serve");
    // in single quotes a dollar sign is a character of the value: hidden
    expect(redactCommand("serve --api-key '$ecret-1' --port 1")).toBe(
      "serve --api-key *** --port 1",
    );
  });
});

describe("redactCommand: what a secret is", () => {
  it("hides --api_key, --apikey, --passwd, --access-key, hf_token= and a URL's password; keeps ordinary flags", () => {
    expect(
      redactCommand(
        "serve --api_key a-1 --apikey b-2 --passwd c-3 --access-key=d-4 hf_token=e-5 --redis-url redis://u:f-6@h",
      ),
    ).toBe(
      "serve --api_key *** --apikey *** --passwd *** --access-key=*** hf_token=*** --redis-url redis://u:***@h",
    );
    const plain =
      "serve --max-tokens 1024 --tokenizer /m/tok --tokenizer-mode auto --api-key-env NAME --enable-auto-tool-choice --kv-cache-dtype fp8 TOKENIZERS_PARALLELISM=false max_tokens=64";
    expect(redactCommand(plain)).toBe(plain);
  });

  it("keeps a switch given as a secret flag's value, and finds a flag right after another", () => {
    expect(redactCommand("serve --enforce-eager --api-key sk-1 --hf-token false HF_TOKEN=1")).toBe(
      "serve --enforce-eager --api-key *** --hf-token false HF_TOKEN=1",
    );
    expect(redactCommand("curl 'h/x?a=1&token=t-123&b=2'")).toBe("curl 'h/x?a=1&token=***&b=2'");
  });
});

describe("redactCommand: JSON in a command", () => {
  /** The JSON between the single quotes after `flag` in `command`, parsed. */
  const jsonAfter = (command: string, flag: string) =>
    JSON.parse(command.slice(command.indexOf(`${flag} '`) + flag.length + 2).split("'")[0]!);

  it("hides the values of secret keys, keeps the other keys and the JSON's shape", () => {
    // before, each JSON value was recorded as written
    const command = `vllm serve m --hf-overrides '{"api_key": "sk-live-1", "max_tokens": 64, "nested": {"hf_token": "hf_abc"}}' --speculative-config '{"num_speculative_tokens": 3, "token": "t-9", "method": "eagle"}'`;
    const shown = redactCommand(command);
    expect(shown).toBe(
      `vllm serve m --hf-overrides '{"api_key": "***", "max_tokens": 64, "nested": {"hf_token": "***"}}' --speculative-config '{"num_speculative_tokens": 3, "token": "***", "method": "eagle"}'`,
    );
    expect(jsonAfter(shown, "--hf-overrides")).toEqual({
      api_key: "***",
      max_tokens: 64,
      nested: { hf_token: "***" },
    });
    expect(redactCommand(`docker run -e CONFIG='{"password":"x","user":"me"}' img`)).toBe(
      `docker run -e CONFIG='{"password":"***","user":"me"}' img`,
    );
  });

  it("takes camelCase keys, escaped quotes, numbers and escapes in a value; keeps switches and variables", () => {
    const shown = redactCommand(
      `sh -c "serve --cfg '{\\"apiKey\\": \\"k-12\\", \\"db_password\\": 1234, \\"maxTokens\\": 8}'"`,
    );
    expect(shown).toBe(
      `sh -c "serve --cfg '{\\"apiKey\\": \\"***\\", \\"db_password\\": \\"***\\", \\"maxTokens\\": 8}'"`,
    );
    expect(
      redactCommand(
        `serve --x '{"secret": "a\\"b", "use_auth_token": true, "token": "$HF_TOKEN"}'`,
      ),
    ).toBe(`serve --x '{"secret": "***", "use_auth_token": true, "token": "$HF_TOKEN"}'`);
    // a key left unquoted by mistake is hidden whole
    expect(redactCommand(`serve --x '{"token": sk-live-1}'`)).toBe(`serve --x '{"token": "***"}'`);
  });

  it("hides the values of a Python dict's secret keys and of Authorization headers, quotes kept", () => {
    // before, both were recorded as written
    expect(
      redactCommand(
        `vllm serve m --hf-overrides "{'api_key': 'sk-live-123', 'num_speculative_tokens': 3, 'max_tokens': 64, 'token': \\"t-77\\"}"`,
      ),
    ).toBe(
      `vllm serve m --hf-overrides "{'api_key': '***', 'num_speculative_tokens': 3, 'max_tokens': 64, 'token': \\"***\\"}"`,
    );
    expect(redactCommand(`serve --x "{'password': 1234, 'use_auth_token': True}"`)).toBe(
      `serve --x "{'password': '***', 'use_auth_token': True}"`,
    );
    const shown = redactCommand(
      `serve --x '{"headers": {"Authorization": "Bearer sk-abc123", "Proxy-Authorization": "Basic dTpw"}, "max_tokens": 5, "authorization_check": "strict"}'`,
    );
    expect(jsonAfter(shown, "--x")).toEqual({
      headers: { Authorization: "***", "Proxy-Authorization": "***" },
      max_tokens: 5,
      authorization_check: "strict",
    });
    expect(
      redactCommand(`serve --x '{"authorization": "Bearer sk-abc123", "authorization": false}'`),
    ).toBe(`serve --x '{"authorization": "***", "authorization": false}'`);
    expect(
      commandSecrets(
        `serve --x "{'api_key': 'sk-live-123'}" --y '{"Authorization": "Bearer sk-abc123"}'`,
      ),
    ).toEqual(["sk-live-123", "Bearer sk-abc123"]);
  });

  it("keeps flags about authorization, which are no header", () => {
    const plain = "serve --enable-authorization-check true --disable-authorization --port 8000";
    expect(redactCommand(plain)).toBe(plain);
  });

  it("keeps the JSON's shape around a URL's credential in it", () => {
    // before, `abc123",` was hidden, quote and comma with it
    const shown = redactCommand(`serve --x '{"url": "http://h/m?token=abc123", "a": 1}'`);
    expect(shown).toBe(`serve --x '{"url": "http://h/m?token=***", "a": 1}'`);
    expect(jsonAfter(shown, "--x")).toEqual({ url: "http://h/m?token=***", a: 1 });
    expect(redactCommand(`sh -c "serve --api-key sk-1"; exit 3`)).toBe(
      `sh -c "serve --api-key ***"; exit 3`,
    );
  });

  it("gives the values of secret keys to commandSecrets, so that a log that repeats them is redacted", () => {
    expect(
      commandSecrets(`serve --hf-overrides '{"api_key": "sk-live-1234", "max_tokens": 64}'`),
    ).toEqual(["sk-live-1234"]);
  });
});

describe("secretValues and commandSecrets", () => {
  it("take the values of secret variables, not a switch or a number a secret-looking name holds", () => {
    expect(
      secretValues({
        HF_TOKEN: "hf_abc123",
        TOKENIZERS_PARALLELISM: "false",
        MAX_TOKENS: "1024",
        SGLANG_INIT_NEW_TOKEN_RATIO: "0.7",
        HF_HUB_DISABLE_IMPLICIT_TOKEN: "1",
        HF_TOKEN_PATH: "/home/u/.cache/huggingface/token",
        AWS_SECRET_ACCESS_KEY: "/wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        // a URL's password is masked where a URL shows it, not hidden wherever its word appears: the test
        // database's `infermark` made every `/tmp/infermark-...` path read `/tmp/***-...`
        INFERMARK_TEST_PG_URL: "postgres://infermark:infermark@localhost:5432/infermark_test",
      }),
    ).toEqual(["/wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "hf_abc123"]);
  });

  it("take the secrets written in a command, so that a log that repeats them is redacted", () => {
    expect(
      commandSecrets(
        "HF_TOKEN=hf_1234 serve --api-key 'sk 5678' --enforce-eager false --kv redis://u:pw-9@h --api-key $KEY",
      ),
    ).toEqual(["hf_1234", "sk 5678", "pw-9"]);
    // a token given as a URL's user: before, left in the log
    expect(
      commandSecrets("serve --model https://hf_AbCdEfGh1234@huggingface.co/m --url http://git@h/x"),
    ).toEqual(["hf_AbCdEfGh1234"]);
  });
});

describe("benchSecrets", () => {
  const env = {
    GATEWAY_AUTH: "k-gateway-0001",
    INFERMARK_API_KEY: "k-infermark-0002",
    OPENAI_API_KEY: "k-openai-0003",
  };

  it("holds the key of the variable bench.apiKeyEnv names, whatever its name, and credential headers", () => {
    // before, only a key written in the spec: GATEWAY_AUTH, which no secret-looking name gives away, stayed in logs
    const secrets = benchSecrets(
      spec({
        apiKeyEnv: "GATEWAY_AUTH",
        headers: { "x-api-key": "k-header-0004", "x-team": "t-1" },
      }),
      env,
    );
    expect(secrets).toEqual(["k-gateway-0001", "k-header-0004"]);
    expect(redactCommand("echo k-gateway-0001", secrets)).toBe("echo ***");
  });

  it("holds the values of the variables headers name, whatever the header, and credential headers as sent", () => {
    const secrets = benchSecrets(
      spec({
        headers: { Authorization: "Bearer ${GATEWAY_TOKEN}", "x-tenant": "${TENANT_ID}" },
      }),
      { GATEWAY_TOKEN: "t-gateway-0005", TENANT_ID: "tenant-0006" },
    );
    expect(secrets).toEqual(["t-gateway-0005", "tenant-0006", "Bearer t-gateway-0005"]);
  });

  it("holds the default variables' keys when the spec names none, and nothing unset", () => {
    expect(benchSecrets(spec({}), env)).toEqual(["k-infermark-0002", "k-openai-0003"]);
    expect(benchSecrets(spec({ apiKeyEnv: "GATEWAY_AUTH" }), {})).toEqual([]);
  });
});
