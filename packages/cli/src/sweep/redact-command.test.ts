// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${NAME} is what a spec writes in a header for an environment variable
import { describe, expect, it } from "vitest";
import { externalSpec } from "../../test/external-spec.js";
import { benchSecrets, redactCommand } from "./redact-command.js";

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
