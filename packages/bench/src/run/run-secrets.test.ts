import { describe, expect, it } from "vitest";
import { runSecrets } from "./run-secrets.js";

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
});
