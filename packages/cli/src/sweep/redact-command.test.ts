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
      headers: { Authorization: "Bearer ***", "Proxy-Authorization": "Basic ***" },
      max_tokens: 5,
      authorization_check: "strict",
    });
    expect(
      redactCommand(`serve --x '{"authorization": "Bearer sk-abc123", "authorization": false}'`),
    ).toBe(`serve --x '{"authorization": "Bearer ***", "authorization": false}'`);
    expect(
      commandSecrets(
        `serve --x "{'api_key': 'sk-live-123'}" --y '{"Authorization": "Bearer sk-abc123"}'`,
      ),
    ).toEqual(["sk-live-123", "sk-abc123"]);
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

describe("redactCommand: a secret flag given no value", () => {
  it("keeps the flag after it, which is no value", () => {
    // before, `--hf-token --port 8000` was shown as `--hf-token *** 8000`, and `--port` taken for a secret
    const plain = [
      "vllm serve m --hf-token --port 8000",
      "vllm serve m --hf-token -p 8000",
      "vllm serve m --hf-token\t--disable-log-requests --port 8000",
      "vllm serve m --api-key -- --port 8000",
      "vllm serve m --api-key= --port 8000",
    ];
    expect(plain.map((c) => redactCommand(c))).toEqual(plain);
    expect(commandSecrets(plain.join(" "))).toEqual([]);
  });

  it("still hides a value given with `=`, after a space, or quoted", () => {
    expect(
      redactCommand(
        `serve --api-key=sk-1 --hf-token hf-2 --password "a b" --token='-x y' --port 8000`,
      ),
    ).toBe(`serve --api-key=*** --hf-token *** --password *** --token=*** --port 8000`);
  });
});

describe("redactCommand: credential headers in a command", () => {
  it("hides a credential header's value by the header's name, the scheme kept", () => {
    // before, each was shown as written unless its value was known from the environment or the spec
    const pairs: [string, string][] = [
      [
        "curl -H 'Authorization: Bearer sk-abcdef' http://h",
        "curl -H 'Authorization: Bearer ***' http://h",
      ],
      [`curl --header "X-Api-Key: abc" http://h`, `curl --header "X-Api-Key: ***" http://h`],
      [
        "curl -H Authorization:Bearer\\ abc-123 http://h",
        "curl -H Authorization:Bearer\\ *** http://h",
      ],
      [`curl -H "Authorization:Bearer sk-1" h`, `curl -H "Authorization:Bearer ***" h`],
      ["curl -HAuthorization:\\ Bearer\\ abc-1 h", "curl -HAuthorization:\\ Bearer\\ *** h"],
      [`wget --header="Api-Key: k-1" h`, `wget --header="Api-Key: ***" h`],
      ["curl -H 'authorization: sk-raw-1' h", "curl -H 'authorization: ***' h"],
      [
        "curl -H 'Proxy-Authorization: Basic dTpwdw==' h",
        "curl -H 'Proxy-Authorization: Basic ***' h",
      ],
      ["curl -H 'Cookie: sid=abc; theme=dark' h", "curl -H 'Cookie: ***' h"],
      ["curl -H 'X-Auth-Token: t-1' h", "curl -H 'X-Auth-Token: ***' h"],
      [
        `bash -c 'curl -sf -H "Authorization: Bearer sk-abcdef" http://h && vllm serve m'`,
        `bash -c 'curl -sf -H "Authorization: Bearer ***" http://h && vllm serve m'`,
      ],
      [
        `sh -c "curl -H 'X-Api-Key: k-123' http://h; vllm serve m"`,
        `sh -c "curl -H 'X-Api-Key: ***' http://h; vllm serve m"`,
      ],
      [
        `sh -c "curl -H \\"Authorization: Bearer sk-9\\" http://h"`,
        `sh -c "curl -H \\"Authorization: Bearer ***\\" http://h"`,
      ],
    ];
    expect(pairs.map(([command]) => redactCommand(command))).toEqual(pairs.map((p) => p[1]));
  });

  it("gives the hidden values to commandSecrets, so that a log that repeats them is redacted", () => {
    expect(
      commandSecrets(`curl -H 'Authorization: Bearer sk-abcdef' -H "X-Api-Key: k-4567" http://h`),
    ).toEqual(["sk-abcdef", "k-4567"]);
  });

  it("keeps other headers, and a header's variable", () => {
    const plain = [
      "curl -H 'Content-Type: application/json' -H 'Accept: */*' -H 'X-Request-Id: 42' http://h",
      `curl -H "Authorization: Bearer $VLLM_API_KEY" http://h`,
      `curl -H "X-Api-Key: \${KEY}" http://h`,
      "curl -H 'X-Session-Sticky: true' -H 'Authorization: Bearer' -H 'Host: example.com' http://h",
    ];
    expect(plain.map((c) => redactCommand(c))).toEqual(plain);
    // a bare scheme is a word every log has, not a secret to hide there
    expect(commandSecrets(plain.join(" "))).toEqual([]);
  });

  it("hides a JSON Cookie header's value, as an Authorization header's", () => {
    expect(
      redactCommand(`serve --x '{"headers": {"Cookie": "sid=abcdefgh", "Accept": "*/*"}}'`),
    ).toBe(`serve --x '{"headers": {"Cookie": "***", "Accept": "*/*"}}'`);
  });
});

describe("redactCommand: other ways to write a secret", () => {
  it("hides a single-dash flag's value (`-token X`) and a Python subscript's (`os.environ['HF_TOKEN'] = 'X'`)", () => {
    // before, both were shown as written
    expect(redactCommand("server -token abc-123 -password=pw-1 -p 8000 -tp 8 -e HF_HOME=/m")).toBe(
      "server -token *** -password=*** -p 8000 -tp 8 -e HF_HOME=/m",
    );
    expect(
      redactCommand(
        `python -c "import os; os.environ['HF_TOKEN'] = 'hf_abcdef'; os.environ["API_KEY"]="k-1"; os.environ['HF_HOME'] = '/m'"`,
      ),
    ).toBe(
      `python -c "import os; os.environ['HF_TOKEN'] = '***'; os.environ["API_KEY"]="***"; os.environ['HF_HOME'] = '/m'"`,
    );
    const plain =
      "vllm serve /models/my-token-model --served-model-name a-secret-name -O3 --port 8000";
    expect(redactCommand(plain)).toBe(plain);
  });
});

describe("redactCommand: curl's user and password", () => {
  it("hides the password of curl's -u / --user, and keeps docker's --user", () => {
    // before, `curl -u me:pw-1234` was shown and recorded as written
    expect(
      redactCommand(
        `bash -c 'curl -sf -u me:pw-1234 http://h/health && curl --user="me:p w" h; docker run --user 1000:1000 -u 0:0 img'`,
      ),
    ).toBe(
      `bash -c 'curl -sf -u me:*** http://h/health && curl --user="me:***" h; docker run --user 1000:1000 -u 0:0 img'`,
    );
    expect(commandSecrets("curl -u me:pw-1234 h; docker run -u 1000:1000 img")).toEqual([
      "pw-1234",
    ]);
  });
});

describe("redactCommand: environment given to a command", () => {
  it("hides the whole of a quoted -e / --env / env value", () => {
    // before, `-e "HF_TOKEN=abc def"` was shown as `-e "HF_TOKEN=*** def"`
    expect(
      redactCommand(
        `docker run -e "HF_TOKEN=abc def" --env 'DB_PASSWORD=p w' --env="API_KEY=k 1" img`,
      ),
    ).toBe(`docker run -e "HF_TOKEN=***" --env 'DB_PASSWORD=***' --env="API_KEY=***" img`);
    expect(redactCommand(`env "HF_TOKEN=a b" vllm serve m`)).toBe(
      `env "HF_TOKEN=***" vllm serve m`,
    );
  });

  it("hides the forms that were already hidden, and keeps a command after an assignment", () => {
    expect(
      redactCommand(
        "HF_TOKEN=abc env HF_TOKEN=abc docker run -e HF_TOKEN=abc --env HF_TOKEN=abc --env=HF_TOKEN=abc -e HF_TOKEN img --token=abc",
      ),
    ).toBe(
      "HF_TOKEN=*** env HF_TOKEN=*** docker run -e HF_TOKEN=*** --env HF_TOKEN=*** --env=HF_TOKEN=*** -e HF_TOKEN img --token=***",
    );
    expect(redactCommand(`sh -c "HF_TOKEN=hf_x vllm serve m --port 8000"`)).toBe(
      `sh -c "HF_TOKEN=*** vllm serve m --port 8000"`,
    );
  });

  it("hides a --secret-key value, and keeps an ordinary command whole", () => {
    expect(redactCommand("serve --secret-key s-1234 --aws-secret-key s-5678 --port 1")).toBe(
      "serve --secret-key *** --aws-secret-key *** --port 1",
    );
    const plain =
      "vllm serve /models/infermark-test --port 8000 --enforce-eager false --download-dir /tmp/infermark-1 --tokenizer-mode auto";
    expect(
      redactCommand(
        plain,
        secretValues({
          INFERMARK_TEST_PG_URL: "postgres://infermark:infermark@localhost:5432/infermark_test",
        }),
      ),
    ).toBe(plain);
  });
});
