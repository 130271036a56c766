import { describe, expect, it } from "vitest";
import { isCredentialHeader, runSecrets } from "./run-secrets.js";

describe("isCredentialHeader", () => {
  it("takes a header by the words of its name: a credential's last word, or a session's word anywhere", () => {
    const credentials = [
      "Authorization",
      "proxy-authorization",
      "Cookie",
      "Set-Cookie",
      "X-Api-Key",
      "Api-Key",
      "apikey",
      "AccessKey",
      "X-SubscriptionKey",
      "Ocp-Apim-Subscription-Key",
      "X-Auth",
      "X-Auth-Token",
      "Private-Token",
      "X-Authtoken",
      "X-Amz-Security-Token",
      "X-Client-Secret",
      "X-Password",
      "X-Amz-Credential",
      "X-Hub-Signature",
      "X-Session-Id",
      "x_custom_token",
      // a numbered credential: a second key of a gateway
      "X-Api-Key-2",
      "X-Auth-Token-v2",
    ];
    expect(credentials.filter((n) => !isCredentialHeader(n))).toEqual([]);
  });

  it("keeps a header whose name only holds a credential word's letters, or has it before another word", () => {
    const plain = [
      "X-Author",
      "X-Authority",
      "Keyword",
      "Key",
      "Monkey",
      "Hotkey",
      "X-Keyboard-Layout",
      "X-Key-Id",
      "X-Tokenizer",
      "X-Max-Tokens",
      "X-Token-Budget",
      "X-Secret-Sauce",
      "X-Request-Id",
      "X-Team",
      "Content-Type",
    ];
    expect(plain.filter(isCredentialHeader)).toEqual([]);
  });
});

describe("runSecrets", () => {
  it("takes the key, a base URL's password and credential headers (with a scheme's token alone), not other headers", () => {
    expect(
      runSecrets({
        apiKey: "sk-1234",
        baseUrl: "http://h:8000/v1",
        headers: {
          authorization: "Bearer tok-5678",
          "api-key": "az-999",
          "x-run": "abc",
          cookie: "",
        },
      }),
    ).toEqual(["Bearer tok-5678", "tok-5678", "sk-1234", "az-999"]);
    expect(runSecrets({ baseUrl: "http://h:8000", headers: { "x-run": "abc" } })).toEqual([]);
  });

  it("takes a base URL's password as written and as typed, and the Basic credentials it is sent as", () => {
    const basic = Buffer.from("me:p@ss%zz").toString("base64");
    expect(runSecrets({ baseUrl: "http://me:p%40ss%zz@h:8000/v1", headers: {} })).toEqual([
      basic,
      "p%40ss%zz",
      "p@ss%zz",
    ]);
  });

  it("takes what a server makes of a Basic header and a cookie: the decoded user and password, the password, each long value", () => {
    const basic = Buffer.from("me:pw-77").toString("base64");
    expect(
      runSecrets({
        baseUrl: "http://h:8000",
        headers: {
          authorization: `Basic ${basic}`,
          cookie: "theme=dark; lang=en; sid=sess-123456",
        },
      }),
    ).toEqual([
      "theme=dark; lang=en; sid=sess-123456",
      `Basic ${basic}`,
      basic,
      "sess-123456",
      "me:pw-77",
      "pw-77",
    ]);
  });

  it("takes a key and a header value also without the whitespace around them, which a header loses on its way", () => {
    expect(
      runSecrets({ apiKey: "sk-77 ", baseUrl: "http://h:8000", headers: { "x-api-key": " k-88" } }),
    ).toEqual(["sk-77 ", "sk-77", " k-88", "k-88"]);
  });

  it("takes the caller's other secrets as given, and judges the headers alone without a base URL", () => {
    expect(runSecrets({ baseUrl: "http://h:8000", headers: {}, secrets: ["hf_sweep-1"] })).toEqual([
      "hf_sweep-1",
    ]);
    const basic = Buffer.from("me:pw-99").toString("base64");
    expect(runSecrets({ headers: { authorization: `Basic ${basic}` } })).toEqual([
      `Basic ${basic}`,
      basic,
      "me:pw-99",
      "pw-99",
    ]);
  });
});
