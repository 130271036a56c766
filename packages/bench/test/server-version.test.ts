import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { vllm } from "../src/backends/vllm.js";
import { runBench } from "../src/index.js";
import type { BenchOptions } from "../src/run/bench-options.js";
import { fetchServerVersion } from "../src/run/server-version.js";
import { completionStream, startScriptedServer } from "./scripted-server.js";
import { RELAXED } from "./small-level.js";

const base = {
  model: "m",
  isl: 8,
  osl: 3,
  rangeRatio: 1,
  concurrency: [1],
  numRequests: 2,
  warmup: 0,
  healthBounds: RELAXED,
  preflight: false,
} satisfies Partial<BenchOptions>;

/** A server that answers `versions[path]` (JSON) to GETs of the version endpoints, and streams completions. */
function serve(versions: Record<string, unknown>) {
  return startScriptedServer(
    (r) =>
      r.path.endsWith("/completions")
        ? { writes: completionStream(3, 0) }
        : { status: 404, contentType: "application/json", writes: ["{}"] },
    { versions },
  );
}

describe("runBench: the engine version", () => {
  it("records what vLLM's /version gives as frameworkVersion, and says so once", async () => {
    const server = await serve({ "/version": { version: "0.11.0" } });
    try {
      const told: string[] = [];
      const r = await runBench(
        { ...base, baseUrl: server.url, backend: "vllm", apiKey: "sk-version-probe" },
        { onServerVersion: (v) => told.push(v) },
      );
      expect(r.levels[0]!.point.config.frameworkVersion).toBe("0.11.0");
      expect(told).toEqual(["0.11.0"]);
      // asked once, with the key, as the model list is
      const asked = server.versionAsked;
      expect(asked.map((q) => q.headers.authorization)).toEqual(["Bearer sk-version-probe"]);
    } finally {
      await server.close();
    }
  });

  it("asks nothing when --framework-version gives it, and records the one given", async () => {
    const server = await serve({ "/version": { version: "0.11.0" } });
    try {
      const r = await runBench({
        ...base,
        baseUrl: server.url,
        backend: "vllm",
        config: { frameworkVersion: "0.10.2-custom" },
      });
      expect(r.levels[0]!.point.config.frameworkVersion).toBe("0.10.2-custom");
      expect(server.versionAsked).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("asks each backend where it tells: SGLang's server info, llama.cpp's build info, Ollama's /api/version", async () => {
    const cases = [
      {
        backend: "sglang",
        pages: { "/get_server_info": { version: "0.5.4", tp_size: 8 } },
        want: "0.5.4",
      },
      {
        backend: "llamacpp",
        pages: { "/props": { build_info: "b6800-1a2b3c4" } },
        want: "b6800-1a2b3c4",
      },
      { backend: "ollama", pages: { "/api/version": { version: "0.12.6" } }, want: "0.12.6" },
    ] as const;
    for (const c of cases) {
      const server = await serve(c.pages);
      try {
        const r = await runBench({ ...base, baseUrl: server.url, backend: c.backend });
        expect(r.levels[0]!.point.config.frameworkVersion, c.backend).toBe(c.want);
        // its own endpoint first, nothing else asked
        expect(server.versionAsked.map((q) => q.path)).toEqual(Object.keys(c.pages));
      } finally {
        await server.close();
      }
    }
  });

  it("records none when the server does not say, or says something that is no version; the run goes on", async () => {
    const cases: Record<string, unknown>[] = [
      {},
      { "/version": { version: "x".repeat(101) } },
      { "/version": { version: "0.1\n0.2" } },
      { "/version": { version: 11 } },
      { "/version": "0.11.0" },
    ];
    for (const pages of cases) {
      const server = await serve(pages);
      try {
        const r = await runBench({ ...base, baseUrl: server.url, backend: "vllm" });
        const { point } = r.levels[0]!;
        expect(point.validity.valid).toBe(true);
        expect(point.config.frameworkVersion, JSON.stringify(pages)).toBeUndefined();
      } finally {
        await server.close();
      }
    }
  });

  it("asks a server behind a path prefix under that prefix, not the host's root", async () => {
    const server = await serve({
      "/engine/version": { version: "0.11.0" },
      "/version": { version: "the-proxy-1.0" },
    });
    try {
      const r = await runBench({ ...base, baseUrl: `${server.url}/engine/v1`, backend: "vllm" });
      expect(r.levels[0]!.point.config.frameworkVersion).toBe("0.11.0");
      expect(server.versionAsked.map((q) => q.path)).toEqual(["/engine/version"]);
    } finally {
      await server.close();
    }
  });

  it("asks a hosted API nothing", async () => {
    const server = await serve({ "/version": { version: "0.11.0" } });
    try {
      const r = await runBench({ ...base, baseUrl: server.url, backend: "openai" });
      expect(r.levels[0]!.point.config.frameworkVersion).toBeUndefined();
      expect(server.versionAsked).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("takes no version from where a redirect leads (another host's /version)", async () => {
    const asked: string[] = [];
    const listen = async (server: Server) => {
      await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    const elsewhere = createServer((req, res) => {
      asked.push(`elsewhere ${req.url}`);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ version: "9.9.9-other" }));
    });
    const other = await listen(elsewhere);
    const redirecting = createServer((req, res) => {
      asked.push(`server ${req.url}`);
      res.writeHead(302, { location: `${other}${req.url}` }).end();
    });
    const origin = await listen(redirecting);
    try {
      expect(await fetchServerVersion(origin, vllm.versionProbes, {})).toBeUndefined();
      expect(asked).toEqual(["server /version"]);
    } finally {
      redirecting.close();
      elsewhere.close();
    }
  });
});
