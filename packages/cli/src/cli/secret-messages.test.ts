import { describe, expect, it } from "vitest";
import { expandPaths } from "../io.js";
import { noPointMatches } from "./analysis/print-analysis.js";
import { collectHeader } from "./bench/flag-parsers.js";
import { readApiKey } from "./bench/read-api-key.js";
import { httpUrl } from "./parse.js";

const SECRET = "SECRET-7f3a";

/** The message of what `f` throws. */
const thrown = (f: () => unknown): string => {
  try {
    f();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("nothing thrown");
};

describe("messages that name an input holding a secret do not repeat the secret", () => {
  it("--dcgm-url: a URL that does not parse, or is not http(s), is shown without its password", () => {
    for (const url of [`http://u:${SECRET}@127.0.0.1:99999/metrics`, `ftp://u:${SECRET}@h/`]) {
      const message = thrown(() => httpUrl("--dcgm-url")(url));
      expect(message).toMatch(/^--dcgm-url expects an http\(s\) URL, got "\w+:\/\/.*\*\*\*@/);
      expect(message).not.toContain(SECRET);
    }
  });

  it("an analysis that matches nothing names its PostgreSQL store without the password", () => {
    const message = noPointMatches({
      db: `postgres://infermark:${SECRET}@localhost:5432/x`,
      model: ["nope"],
    } as never);
    expect(message).toBe(
      "no stored point matches --model nope in postgres://infermark:***@localhost:5432/x",
    );
  });

  it("--api-key-env given the key itself ($OPENAI_API_KEY) is refused without showing it", () => {
    const message = thrown(() => readApiKey(`sk-proj-${SECRET}`, {}));
    expect(message).toBe(
      "--api-key-env expects the name of an environment variable (letters, digits and _), not its value; the value given is not shown",
    );
    expect(thrown(() => readApiKey("MY_KEY", {}))).toBe(
      "--api-key-env: environment variable MY_KEY is not set",
    );
  });
});

describe("inputs that may be credentials, refused without repeating them", () => {
  it("--header without a colon (Authorization Bearer sk-...)", () => {
    const message = thrown(() => collectHeader(`Authorization Bearer ${SECRET}`, undefined));
    expect(message).toBe(
      "--header expects NAME:VALUE, got a value without a name and a colon before it (the value is not shown: it may hold a credential)",
    );
  });

  it("a store URL given as a result file that does not exist is named without its password", async () => {
    const url = `postgres://u:${SECRET}@localhost:5432/db`;
    const error = await expandPaths([url]).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toBe("postgres://u:***@localhost:5432/db: no such file or folder");
  });
});
