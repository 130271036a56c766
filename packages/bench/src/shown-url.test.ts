import { describe, expect, it } from "vitest";
import { isSecretParameter, isTokenUser, shownUrl } from "./shown-url.js";

describe("shownUrl", () => {
  it("shows a URL without its password, whether it parses or not", () => {
    expect(shownUrl("http://me:pw-1@gpu-1:9400/metrics")).toBe("http://me:***@gpu-1:9400/metrics");
    expect(shownUrl("http://gpu-1:9400/metrics")).toBe("http://gpu-1:9400/metrics");
    // a port out of range; a `/` in the password: all up to the last `@` may be the password
    expect(shownUrl("http://me:pw-1@gpu-1:99999")).toBe("http://***@gpu-1:99999");
    expect(shownUrl("http://me:pw/1@gpu-1:8000/v1")).toBe("http://***@gpu-1:8000/v1");
    expect(shownUrl("gpu-1:8000")).toBe("gpu-1:8000");
  });

  it("shows the values of a query's and a fragment's credentials as ***, the rest as written", () => {
    // before, each was shown whole
    expect(shownUrl("http://gpu-1:9400/metrics?gpu=0&token=t-1&max_tokens=8")).toBe(
      "http://gpu-1:9400/metrics?gpu=0&token=***&max_tokens=8",
    );
    expect(
      shownUrl(
        "https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=ab12&X-Amz-Security-Token=tk&X-Amz-Expires=60",
      ),
    ).toBe(
      "https://b.s3.amazonaws.com/k?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***&X-Amz-Expires=60",
    );
    expect(shownUrl("https://a.blob.core.windows.net/c?sv=2024&sig=s%2Bg%3D&se=x")).toBe(
      "https://a.blob.core.windows.net/c?sv=2024&sig=***&se=x",
    );
    expect(
      shownUrl("http://h/m?api_key=k1&apikey=k2&key=k3&signature=k4&keyword=fp8#access_token=k5"),
    ).toBe("http://h/m?api_key=***&apikey=***&key=***&signature=***&keyword=fp8#access_token=***");
    // with a password, parsed or not
    expect(shownUrl("http://me:pw@h:9400/m?token=t-1")).toBe("http://me:***@h:9400/m?token=***");
    expect(shownUrl("http://me:pw@h:99999/m?token=t-1")).toBe("http://***@h:99999/m?token=***");
    expect(shownUrl("http://h/m?token")).toBe("http://h/m?token");
  });
});

describe("a token given as a URL's user", () => {
  it("shownUrl masks a user that looks like a token, and keeps an ordinary user name", () => {
    // before, each was shown whole
    expect(shownUrl("https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r.git")).toBe(
      "https://***@github.com/o/r.git",
    );
    expect(shownUrl("https://glpat-abcdefghij0123456789@gitlab.com/o/r")).toBe(
      "https://***@gitlab.com/o/r",
    );
    expect(shownUrl("https://hf_AbCdEfGhIjKlMnOpQrStUv@huggingface.co/m?token=t-1")).toBe(
      "https://***@huggingface.co/m?token=***",
    );
    // GitHub's older form: the token as the user, `x-oauth-basic` as the password
    expect(
      shownUrl("https://0123456789abcdef0123456789abcdef01234567:x-oauth-basic@github.com"),
    ).toBe("https://***:***@github.com/");
    expect(shownUrl("ssh://git@github.com/o/r.git")).toBe("ssh://git@github.com/o/r.git");
    expect(shownUrl("http://me@gpu-1:9400/metrics")).toBe("http://me@gpu-1:9400/metrics");
  });

  it("isTokenUser takes a known token prefix or a long token-like name, and no ordinary user", () => {
    const tokens = [
      "ghp_abcdef123456",
      "gho_abcdef123456",
      "ghs_abcdef123456",
      "github_pat_11ABCDEFG0123",
      "glpat-abcdef123456",
      "hf_abcdefgh1234",
      "sk-proj-abcdef12",
      "0123456789abcdef0123",
      "aGVsbG8td29ybGQtdG9rZW4",
      "ghp%5Fabcdef123456",
    ];
    expect(tokens.filter((t) => !isTokenUser(t))).toEqual([]);
    const users = [
      "git",
      "me",
      "ubuntu",
      "ec2-user",
      "oauth2",
      "x-access-token",
      "first.last",
      "sk-1",
      "hf_bot",
      "",
    ];
    expect(users.filter(isTokenUser)).toEqual([]);
  });
});

describe("isSecretParameter", () => {
  it("takes a credential's name in any case and spelling, and no other", () => {
    const secret = [
      "token",
      "access_token",
      "API_KEY",
      "apiKey",
      "key",
      "sig",
      "X-Amz-Signature",
      "auth",
      "password",
      "code",
      "api%5Fkey",
    ];
    expect(secret.filter((n) => !isSecretParameter(n))).toEqual([]);
    const plain = [
      "max_tokens",
      "keyword",
      "monkey",
      "gpu",
      "model",
      "X-Amz-Expires",
      "sv",
      "tokens",
    ];
    expect(plain.filter(isSecretParameter)).toEqual([]);
  });
});
