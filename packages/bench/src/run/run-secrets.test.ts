import { describe, expect, it } from "vitest";
import { runSecrets } from "./run-secrets.js";

describe("runSecrets", () => {
  it("takes the key, a base URL's password and credential headers (with a scheme's token alone), not other headers", () => {
    expect(
      runSecrets({
        apiKey: "sk-1234",
        baseUrl: "http://me:p%40ss@h:8000/v1",
        headers: {
          authorization: "Bearer tok-5678",
          "api-key": "az-999",
          "x-run": "abc",
          cookie: "",
        },
      }),
    ).toEqual(["Bearer tok-5678", "tok-5678", "sk-1234", "p%40ss", "az-999", "p@ss"]);
    expect(runSecrets({ baseUrl: "http://h:8000", headers: { "x-run": "abc" } })).toEqual([]);
  });
});
