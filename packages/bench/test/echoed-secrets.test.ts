import { describe, expect, it } from "vitest";
import { type BenchOptions, runBench } from "../src/index.js";
import { completionStream, type Script, startScriptedServer } from "./scripted-server.js";
import { ONE_SMALL_LEVEL } from "./small-level.js";

/*
 * Servers that give back what they were sent, escaped, in part, or where a point keeps it (its version, its model
 * list): the credentials must reach no point, record or message in any of those forms.
 */

/** A run against `script`, and everything it wrote down: its point and records, and what it said, as one text. */
async function runAgainst(
  script: (r: import("./scripted-server.js").Received) => Script,
  options: Partial<BenchOptions>,
  serverOptions: Parameters<typeof startScriptedServer>[1] = {},
) {
  const server = await startScriptedServer(script, serverOptions);
  const said: string[] = [];
  try {
    const { levels } = await runBench(
      { ...ONE_SMALL_LEVEL, preflight: false, baseUrl: server.url, ...options },
      { onServerVersion: (v) => said.push(v) },
    );
    const { point, records } = levels[0]!;
    return { point, records, said, written: JSON.stringify({ point, records, said }), server };
  } finally {
    await server.close();
  }
}

describe("runBench keeps echoed credentials out of points, records and messages", () => {
  it("a key the server percent-encodes in a redirect's Location (a query string), as a base64 token's / + = are", async () => {
    const key = "sk-b64/Secret+Key=";
    const { records, point, written } = await runAgainst(
      (r) => ({
        status: 307,
        headers: {
          location: `http://elsewhere.invalid/v1/completions?echo=${encodeURIComponent(r.headers.authorization!)}`,
        },
      }),
      { apiKey: key },
    );
    const message =
      "HTTP 307: a redirect to http://elsewhere.invalid/v1/completions?echo=Bearer%20***, not followed (use the address that answers as --base-url)";
    expect(records.map((r) => r.error?.message)).toEqual([message, message]);
    expect(point.errors.samples).toEqual([`http_status: ${message}`, `http_status: ${message}`]);
    for (const form of [key, encodeURIComponent(key), "sk-b64%2f"])
      expect(written.toLowerCase().includes(form.toLowerCase()), form).toBe(false);
  });

  it("a key whose echo the kept start of an error body ends in, its whitespace collapsed into the 200 characters shown", async () => {
    const key = "sk-split-secret-42";
    // a pretty-printed refusal, read in two pieces: the first, past the length kept, ends inside the key
    const before = `{"error":${" ".repeat(450)}${"x".repeat(174)} "Bearer ${key.slice(0, 12)}`;
    const { records, written } = await runAgainst(
      () => ({ status: 401, writes: [before, 20, `${key.slice(12)}"}`] }),
      { apiKey: key },
    );
    const seen = `{"error": ${"x".repeat(174)} "Bearer ${key.slice(0, 12)}`;
    // the end of what was read, as long as a key can be written, is left out: it may hold a key cut short
    const shown = `HTTP 401: ${seen.slice(0, seen.length - 9 * key.length).slice(0, 200)}`;
    expect(records.map((r) => r.error?.message)).toEqual([shown, shown]);
    for (let n = 4; n <= key.length; n++)
      expect(written.includes(key.slice(0, n)), key.slice(0, n)).toBe(false);
  });

  it.each([
    [
      "a Basic header's user and password, decoded",
      { headers: { authorization: `Basic ${Buffer.from("me:pw-secret-55").toString("base64")}` } },
      (r: import("./scripted-server.js").Received) =>
        `wrong password for ${Buffer.from(r.headers.authorization!.slice(6), "base64")}`,
      "wrong password for ***",
      ["pw-secret-55"],
    ],
    [
      "a session cookie's value, parsed out",
      { headers: { cookie: "theme=dark; sid=sess-secret-66" } },
      (r: import("./scripted-server.js").Received) =>
        `unknown session ${r.headers.cookie!.split("sid=")[1]} (theme ${r.headers.cookie!.split(/[=;]/)[1]})`,
      "unknown session *** (theme dark)",
      ["sess-secret-66"],
    ],
    [
      "a key with a trailing space, which the header loses",
      { apiKey: "sk-secret-77 " },
      (r: import("./scripted-server.js").Received) => `bad key in ${r.headers.authorization}`,
      "bad key in Bearer ***",
      ["sk-secret-77"],
    ],
  ])("%s", async (_name, options, refusal, echoed, secrets) => {
    const { records, written } = await runAgainst(
      (r) => ({ status: 401, contentType: "text/plain", writes: [refusal(r)] }),
      options,
    );
    expect(records.map((r) => r.error?.message)).toEqual([
      `HTTP 401: ${echoed}`,
      `HTTP 401: ${echoed}`,
    ]);
    for (const secret of secrets) expect(written.includes(secret), secret).toBe(false);
  });

  it("a version endpoint that answers the key it was sent is no version", async () => {
    const key = "sk-version-secret-88";
    const { point, said, written } = await runAgainst(
      () => ({ writes: completionStream(2, 0) }),
      { apiKey: key, backend: "vllm" },
      {
        versions: {
          "/version": (r: { headers: { authorization?: string } }) => ({
            version: r.headers.authorization,
          }),
        },
      },
    );
    expect(point.config.frameworkVersion).toBeUndefined();
    expect(said).toEqual([]);
    expect(written.includes(key)).toBe(false);
  });

  it("a simulator's model list that echoes a header: the point keeps it redacted", async () => {
    const key = "gw-models-secret-99";
    const { point, written } = await runAgainst(
      (r) =>
        r.path === "/v1/models"
          ? {
              contentType: "application/json",
              writes: [
                JSON.stringify({
                  data: [
                    { id: "org/model", speed: 1, echoed: `x-api-key ${r.headers["x-api-key"]}` },
                  ],
                }),
              ],
            }
          : { writes: completionStream(2, 0) },
      { headers: { "x-api-key": key } },
    );
    expect(point.run.source).toBe("simulated");
    expect(point.run.simulator).toEqual({
      speed: 1,
      served: { data: [{ id: "org/model", speed: 1, echoed: "x-api-key ***" }] },
    });
    expect(written.includes(key)).toBe(false);
  });
});
