import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { type AddressInfo, connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PointResult, RequestRecord } from "@infermark/core";
import { openStore, type Store } from "@infermark/store";
import { decodePointColumns, type PointColumns, webAppDir } from "@infermark/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importInferencex } from "../src/commands/import.js";
import { ingestFiles } from "../src/commands/ingest.js";
import { FAILED_READ, startUiServer, type UiServer } from "../src/ui/api-server.js";
import { pointJson, runCli, tempDir } from "./helpers.js";
import { rawStatusLine } from "./ui-raw-request.js";

const SNAPSHOT = fileURLToPath(
  new URL("../../../examples/data/inferencex/benchmarks.json", import.meta.url),
);
const rows = JSON.parse(readFileSync(SNAPSHOT, "utf8")) as {
  hardware: string;
  isl: number;
  osl: number;
  image?: string;
}[];

const point = (conc: number) =>
  PointResult.parse(
    pointJson(conc, {
      run: { source: "measured", date: "2026-07-01T10:00:00Z" },
      metrics: { tputPerGpu: 1234, intvty: { median: 50 } },
    }),
  );

describe("infermark ui HTTP API (real SQLite store, real InferenceX rows)", () => {
  let dir: string;
  let store: Store;
  let ui: UiServer;
  const get = async (path: string) => {
    const res = await fetch(new URL(path, ui.url));
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const post = (body: unknown, token?: string) =>
    fetch(new URL("api/points", ui.url), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "infermark-ui-"));
    const db = join(dir, "ui.db");
    await importInferencex([SNAPSHOT], { db });
    store = await openStore(db);
    ui = await startUiServer({ store, port: 0, token: "s3cret" });
  });
  afterAll(async () => {
    await ui?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists the stored points, filtered by validated query parameters", async () => {
    const all = await get("api/points");
    expect(all.status).toBe(200);
    expect((all.body.points as unknown[]).length).toBe(rows.length);
    const h200 = rows.filter(
      (r) => r.hardware === "h200" && r.isl === 8192 && r.osl === 1024,
    ).length;
    const some = await get("api/points?hardware=h200&isl=8192&osl=1024&fields=slim");
    const points = some.body.points as { id: string; point: PointResult }[];
    expect(points.length).toBe(h200);
    expect(h200).toBeGreaterThan(0);
    expect(new Set(points.map((p) => p.point.config.hardware))).toEqual(new Set(["h200"]));
    // slim points keep the configuration and the plotted metrics
    expect(typeof points[0]!.point.metrics.tputPerGpu).toBe("number");
    expect(typeof points[0]!.point.metrics.intvty?.median).toBe("number");
    expect(points[0]!.point.metrics.itl).toBeUndefined();
    // the server's image, as recorded (the MI300X rows ran two SGLang releases)
    const v9 = rows.filter((r) => r.image === "lmsysorg/sglang:v0.5.9-rocm700-mi30x").length;
    const byImage = await get(
      `api/points?image=${encodeURIComponent("lmsysorg/sglang:v0.5.9-rocm700-mi30x")}&fields=slim`,
    );
    expect((byImage.body.points as unknown[]).length).toBe(v9);
    expect(v9).toBeGreaterThan(0);
    // by release: the image's tag when no engine version was recorded
    const byVersion = await get("api/points?version=0.5.9&fields=slim");
    expect((byVersion.body.points as unknown[]).length).toBe(
      rows.filter((r) => /:v0\.5\.9(?!\d)/.test(r.image ?? "")).length,
    );
  });

  it("sends the dashboard's list in columns: the slim points, each configuration once", async () => {
    const q = "hardware=h200&isl=8192&osl=1024&latest=true";
    const slim = (await get(`api/points?${q}&fields=slim`)).body.points as {
      id: string;
      point: PointResult;
    }[];
    const columns = (await get(`api/points?${q}&fields=columns`)).body as unknown as PointColumns;
    expect(columns.format).toBe("infermark.point-columns/v1");
    expect(columns.count).toBe(slim.length);
    expect(decodePointColumns(columns)).toEqual(slim);
    const configs = new Set(
      slim.map(({ point: { config } }) => {
        const { load: _load, ...rest } = config;
        return JSON.stringify(rest);
      }),
    );
    expect(columns.dicts.config).toHaveLength(configs.size);
    expect(configs.size).toBeLessThan(slim.length);
    expect((await get("api/points?fields=rows")).body.error).toMatch(
      /^bad query parameter "fields"/,
    );
  });

  it("reads boolean parameters in any case: true, false, 1 or 0", async () => {
    const ids = async (url: string, q: string) => {
      const r = await fetch(new URL(`api/points?fields=slim&${q}`, url));
      expect(r.status).toBe(200);
      return ((await r.json()) as { points: { id: string }[] }).points.map((p) => p.id);
    };
    const aggregated = await ids(ui.url, "hardware=h200&disaggregated=false");
    expect(aggregated).toHaveLength(30);
    for (const q of ["disaggregated=FALSE", "disaggregated=False", "disaggregated=0"])
      expect(await ids(ui.url, `hardware=h200&${q}`)).toEqual(aggregated);
    expect(await ids(ui.url, "hardware=h200&disaggregated=TRUE")).toHaveLength(20);
    // a configuration measured on two days, the later one invalid: latest and validOnly each leave one out
    const db = join(dir, "booleans.db");
    const earlier = { ...point(8), run: { source: "measured", date: "2026-06-01T10:00:00Z" } };
    const later = { ...point(8), validity: { valid: false, reasons: ["error rate"] } };
    const files = [earlier, later].map((p, i) => {
      const file = join(dir, `boolean-${i}.json`);
      writeFileSync(file, JSON.stringify(p));
      return file;
    });
    await ingestFiles(files, { db });
    const reader = await openStore(db);
    const served = await startUiServer({ store: reader, port: 0 });
    try {
      const all = await ids(served.url, "latest=false");
      expect(all).toHaveLength(2);
      const latest = await ids(served.url, "latest=true");
      const valid = await ids(served.url, "validOnly=1");
      expect([latest, valid]).toEqual([[all[1]], [all[0]]]);
      for (const q of ["latest=TRUE", "latest=True", "latest=1"])
        expect(await ids(served.url, q)).toEqual(latest);
      for (const q of ["validOnly=TRUE", "validOnly=tRuE"])
        expect(await ids(served.url, q)).toEqual(valid);
      expect(await ids(served.url, "latest=FALSE&validOnly=False")).toEqual(all);
      for (const value of ["maybe", "yes", "", "true1"]) {
        const refused = await fetch(new URL(`api/groups?latest=${value}`, served.url));
        expect([refused.status, await refused.json()]).toEqual([
          400,
          {
            error: `bad query parameter "latest" (${value}): expects true, false, 1 or 0 (any case)`,
          },
        ]);
      }
    } finally {
      await served.close();
      await reader.close();
    }
  });

  it("answers bad parameters with 400 and a message", async () => {
    expect(await get("api/points?isl=abc")).toEqual({
      status: 400,
      body: { error: 'bad query parameter "isl" (abc): expects a non-negative integer' },
    });
    expect(await get("api/groups?osl=99999999999999999999")).toEqual({
      status: 400,
      body: {
        error:
          'bad query parameter "osl" (99999999999999999999): expects an integer up to 9007199254740991',
      },
    });
    expect((await get("api/points?source=alien")).body.error).toMatch(
      /^bad query parameter "source"/,
    );
    expect((await get("api/points?dateTo=2026-13-45")).body.error).toMatch(/dateTo/);
    expect((await get("api/points?latest=maybe")).status).toBe(400);
    expect((await get("api/points?isl=1&isl=2")).body.error).toBe(
      'query parameter "isl" given twice',
    );
    expect((await get("api/groups?fields=slim")).body.error).toMatch(
      /^unknown query parameter "fields"/,
    );
    expect((await get("api/points?colour=red")).body.error).toMatch(
      /^unknown query parameter "colour"/,
    );
    // endpoints without parameters refuse them too, as a misspelt filter must not pass silently
    for (const path of ["api/health?verbose=1", "api/points/abc?fields=slim"])
      expect(await get(path)).toEqual({
        status: 400,
        body: {
          error: `unknown query parameter "${new URL(path, ui.url).searchParams.keys().next().value}"; this endpoint takes none`,
        },
      });
    const posted = await fetch(new URL("api/points?model=dsr1", ui.url), {
      method: "POST",
      headers: { authorization: "Bearer s3cret", "content-type": "application/json" },
      body: "[]",
    });
    expect([posted.status, await posted.json()]).toEqual([
      400,
      { error: 'unknown query parameter "model"; this endpoint takes none' },
    ]);
  });

  it("lists groups and dates", async () => {
    const groups = (await get("api/groups?hardware=mi355x")).body.groups as {
      hardware: string;
      points: number;
    }[];
    expect(groups.reduce((n, g) => n + g.points, 0)).toBe(
      rows.filter((r) => r.hardware === "mi355x").length,
    );
    // InferenceX rows are all of the random workload; the kind is a group key and a filter
    expect(new Set(groups.map((g) => (g as { workload?: string }).workload))).toEqual(
      new Set(["random"]),
    );
    expect((await get("api/groups?hardware=mi355x&workload=random")).body.groups).toEqual(groups);
    expect((await get("api/groups?workload=session,sharegpt")).body.groups).toEqual([]);
    const dates = (await get("api/dates")).body.dates as string[];
    expect(dates).toEqual([...dates].sort());
    expect(dates.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))).toBe(true);
  });

  it("returns one point, 404 for an unknown id or a point without request records, 400 for a malformed id", async () => {
    const first = ((await get("api/points?hardware=b200")).body.points as { id: string }[])[0]!;
    const one = await get(`api/points/${first.id}`);
    expect(one.status).toBe(200);
    expect(one.body.id).toBe(first.id);
    // an imported point: no request records, which the answer says (so a client need not ask for them)
    expect(one.body.requestRecords).toBe(0);
    expect(await get("api/points/nope")).toEqual({
      status: 404,
      body: { error: "no point with id nope" },
    });
    expect((await get(`api/points/${first.id}/requests`)).body.error).toBe(
      `point ${first.id} has no stored request records`,
    );
    expect((await get("api/unknown")).status).toBe(404);
    for (const path of ["api/points/%zz", "api/points/%zz/requests"])
      expect(await get(path)).toEqual({
        status: 400,
        body: { error: 'malformed percent-encoding in point id "%zz"' },
      });
  });

  it("refuses writes without the token and stores points (with request records) with it", async () => {
    for (const token of [undefined, "wrong", "s3cre", "s3crett"]) {
      const refused = await post([point(4)], token);
      expect(refused.status).toBe(401);
      expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="infermark"');
      expect(await refused.json()).toEqual({
        error: "missing or wrong token (Authorization: Bearer <token>)",
      });
    }
    // the scheme is case-insensitive; an empty answer to an empty batch shows the token was taken
    const lower = await fetch(new URL("api/points", ui.url), {
      method: "POST",
      headers: { authorization: "bearer s3cret", "content-type": "application/json" },
      body: "[]",
    });
    expect(lower.status).toBe(200);
    expect(((await lower.json()) as { ids: string[] }).ids).toEqual([]);
    const records = [
      { index: 0, tSched: 0, tSend: 0, events: [{ t: 100, kind: "content", tokens: 1 }] },
    ];
    const ok = await post({ points: [point(4)], requests: [records] }, "s3cret");
    expect(ok.status).toBe(200);
    const result = (await ok.json()) as { inserted: number; ids: string[] };
    expect(result.inserted).toBe(1);
    const measured = (await get("api/points?source=measured&fields=slim")).body.points as {
      id: string;
    }[];
    expect(measured.map((p) => p.id)).toEqual(result.ids);
    expect((await get(`api/points/${result.ids[0]}`)).body.requestRecords).toBe(1);
    const req = await get(`api/points/${result.ids[0]}/requests`);
    // stored as checked records, with the schema's defaults, as `infermark ingest` stores them
    expect(req.body.requests).toEqual(records.map((r) => RequestRecord.parse(r)));
    expect(req.body.requests).toEqual([{ ...records[0], warmup: false }]);
    // a point with more records than the run detail reads: 413 and why, read from their size, not the records
    const small = await startUiServer({ store, port: 0, warm: false, maxRequestsBytes: 50 });
    try {
      const big = await fetch(new URL(`api/points/${result.ids[0]}/requests`, small.url));
      expect(big.status).toBe(413);
      expect(((await big.json()) as { error: string }).error).toMatch(
        new RegExp(
          `^point ${result.ids[0]} has 1 request records, 0\\.0 MiB of JSON, more than the run detail reads \\(0\\.0 MiB\\); `,
        ),
      );
    } finally {
      await small.close();
    }
    const bad = await post([{ schema: "nope" }], "s3cret");
    expect(bad.status).toBe(400);
  });

  it("refuses a write body that is not points (and their request records) with 400 and nothing stored", async () => {
    const before = (await get("api/points?fields=slim")).body.points as unknown[];
    const refused = async (body: unknown) => {
      const res = await post(body, "s3cret");
      return { status: res.status, body: await res.json() };
    };
    expect(await refused(null)).toEqual({
      status: 400,
      body: { error: "expected a JSON array of points or { points: [...] }" },
    });
    expect(await refused({ points: [point(16)], requests: 5 })).toEqual({
      status: 400,
      body: { error: "requests: expected an array with at most one entry per point (1)" },
    });
    expect(await refused({ points: [point(16)], requests: [[], []] })).toEqual({
      status: 400,
      body: { error: "requests: expected an array with at most one entry per point (1)" },
    });
    expect(await refused({ points: [point(16)], request: [[]] })).toEqual({
      status: 400,
      body: { error: 'unknown field "request"; expected points and requests' },
    });
    expect(await refused({ points: [point(16)], requests: [{ index: 0 }] })).toEqual({
      status: 400,
      body: { error: "requests[0]: expected an array of request records or null" },
    });
    expect(
      await refused({ points: [point(16)], requests: [[{ index: 0, tSched: 0, tSend: "soon" }]] }),
    ).toEqual({
      status: 400,
      body: { error: "requests[0][0]: tSend: Invalid input: expected number, received string" },
    });
    const form = await fetch(new URL("api/points", ui.url), {
      method: "POST",
      headers: { authorization: "Bearer s3cret" },
      body: new URLSearchParams({ points: "[]" }),
    });
    expect([form.status, await form.json()]).toEqual([
      415,
      {
        error:
          "the body must be JSON: send Content-Type: application/json (got application/x-www-form-urlencoded)",
      },
    ]);
    expect((await get("api/points?fields=slim")).body.points).toEqual(before);
  });

  it("answers a request target that is no URL with 400 and keeps serving", async () => {
    expect(await rawStatusLine(ui.url, "GET http://[ HTTP/1.1")).toBe("HTTP/1.1 400 Bad Request");
    expect(await rawStatusLine(ui.url, "GET //api/health HTTP/1.1")).toBe("HTTP/1.1 404 Not Found");
    expect(await rawStatusLine(ui.url, "GET http://x/api/health HTTP/1.1")).toBe("HTTP/1.1 200 OK");
    expect((await get("api/health")).status).toBe(200);
  });

  it("names the allowed methods: OPTIONS answers 204, any other method 405, both with Allow", async () => {
    const call = async (method: string, path: string) => {
      const res = await fetch(new URL(path, ui.url), { method });
      const text = await res.text();
      return {
        status: res.status,
        allow: res.headers.get("allow"),
        body: text && JSON.parse(text),
      };
    };
    expect(await call("OPTIONS", "api/points")).toEqual({
      status: 204,
      allow: "GET, HEAD, POST, OPTIONS",
      body: "",
    });
    expect(await call("OPTIONS", "api/groups")).toEqual({
      status: 204,
      allow: "GET, HEAD, OPTIONS",
      body: "",
    });
    expect(await call("DELETE", "api/points")).toEqual({
      status: 405,
      allow: "GET, HEAD, POST, OPTIONS",
      body: { error: "method DELETE not allowed here; allowed: GET, HEAD, POST, OPTIONS" },
    });
    expect(await call("POST", "api/groups")).toEqual({
      status: 405,
      allow: "GET, HEAD, OPTIONS",
      body: { error: "method POST not allowed here; allowed: GET, HEAD, OPTIONS" },
    });
  });

  it.runIf(process.platform === "linux")(
    "a dashboard file that fails to read ends that answer, not the server",
    async () => {
      const app = join(dir, "app");
      mkdirSync(app);
      writeFileSync(join(app, "index.html"), "<!doctype html>");
      // stat calls it a file; reading it fails with EIO (offset 0 of the address space is not mapped)
      symlinkSync("/proc/self/mem", join(app, "app-broken.js"));
      const served = await startUiServer({ store, port: 0, appDir: app, warm: false });
      try {
        const broken = await fetch(new URL("app-broken.js", served.url), {
          signal: AbortSignal.timeout(10_000),
        })
          .then((res) => res.text())
          .then(
            () => "answered",
            (error: Error) => error.name,
          );
        expect(broken).toBe("TypeError"); // fetch failed: the connection was closed mid-answer
        const index = await fetch(new URL("index.html", served.url));
        expect([index.status, await index.text()]).toEqual([200, "<!doctype html>"]);
      } finally {
        await served.close();
      }
    },
  );

  it("serves dashboard files with validators and answers 304 to a client whose copy is current", async () => {
    const app = join(dir, "app-cache");
    mkdirSync(app);
    writeFileSync(join(app, "app.js"), "one();");
    const served = await startUiServer({ store, port: 0, appDir: app, warm: false });
    const fetchApp = (headers: Record<string, string> = {}, method = "GET") =>
      fetch(new URL("app.js", served.url), { headers, method });
    try {
      const first = await fetchApp();
      expect(await first.text()).toBe("one();");
      const etag = first.headers.get("etag")!;
      const modified = first.headers.get("last-modified")!;
      expect(etag).toMatch(/^W\/"6-[0-9a-f]+"$/);
      expect(first.headers.get("cache-control")).toBe("no-cache");
      const conditions: Record<string, string>[] = [
        { "if-none-match": etag },
        { "if-none-match": `W/"other", ${etag}` },
        { "if-modified-since": modified },
      ];
      for (const headers of conditions) {
        const again = await fetchApp(headers);
        expect([again.status, again.headers.get("etag"), await again.text()]).toEqual([
          304,
          etag,
          "",
        ]);
      }
      const head = await fetchApp({}, "HEAD");
      expect([head.status, head.headers.get("content-length"), head.headers.get("etag")]).toEqual([
        200,
        "6",
        etag,
      ]);
      writeFileSync(join(app, "app.js"), "two(); // rebuilt");
      const rebuilt = await fetchApp({ "if-none-match": etag });
      expect([rebuilt.status, await rebuilt.text()]).toEqual([200, "two(); // rebuilt"]);
    } finally {
      await served.close();
    }
  });

  it("answers from its cache until the store changes, also when another process wrote to it", async () => {
    const db = join(dir, "shared.db");
    await importInferencex([SNAPSHOT], { db });
    const reader = await openStore(db);
    const served = await startUiServer({ store: reader, port: 0 });
    const measured = async (query: string) =>
      (await (await fetch(new URL(`api/${query}`, served.url))).json()) as Record<
        string,
        unknown[]
      >;
    try {
      const queries = [
        "points?source=measured&fields=slim",
        "groups?source=measured",
        "dates?source=measured",
      ];
      for (const q of queries) expect(Object.values(await measured(q))[0]).toEqual([]);
      // another process (here: another connection, as `infermark ingest` opens) stores a measured point
      const file = join(dir, "measured.json");
      writeFileSync(file, JSON.stringify(point(32)));
      expect((await ingestFiles([file], { db }))[0]).toMatchObject({ status: "ok", inserted: 1 });
      expect((await measured(queries[0]!)).points).toHaveLength(1);
      expect((await measured(queries[1]!)).groups).toHaveLength(1);
      expect((await measured(queries[2]!)).dates).toEqual(["2026-07-01"]);
    } finally {
      await served.close();
      await reader.close();
    }
  });

  it("keeps at most maxCacheBytes of answers, dropping the least recently used", async () => {
    const a = "api/points?hardware=h200&fields=slim";
    const b = "api/points?hardware=b200&fields=slim";
    const text = async (url: string, path: string) => (await fetch(new URL(path, url))).text();
    const [lengthA, lengthB] = [(await text(ui.url, a)).length, (await text(ui.url, b)).length];
    const made: string[] = [];
    const counted: Store = {
      ...store,
      queryPoints: (filter) => {
        made.push(filter?.hardware?.join() ?? "");
        return store.queryPoints(filter);
      },
    };
    // room for either answer, not both
    const served = await startUiServer({
      store: counted,
      port: 0,
      warm: false,
      maxCacheBytes: lengthA + lengthB - 1,
    });
    try {
      for (const path of [a, a, b, b, a]) await text(served.url, path);
      expect(made).toEqual(["h200", "b200", "h200"]);
    } finally {
      await served.close();
    }
  });

  it("answers requests that Node's parser refuses with the JSON error shape", async () => {
    const models = Array.from({ length: 3000 }, (_, i) => `model=m${i}`).join("&");
    const long = await fetch(new URL(`api/points?${models}`, ui.url));
    expect([long.status, await long.json()]).toEqual([
      431,
      {
        error:
          "request headers or URL over 16 KiB: send fewer filter values, or filter in the client",
      },
    ]);
    expect(await rawStatusLine(ui.url, "GET /api/health HTTP/9.9")).toBe(
      "HTTP/1.1 400 Bad Request",
    );
    expect((await get("api/health")).status).toBe(200);
  });

  it("listens on 127.0.0.1 unless a host is given", () => {
    expect(ui.server.address()).toMatchObject({ address: "127.0.0.1", family: "IPv4" });
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it("refuses writes when no token is set", async () => {
    const readOnly = await startUiServer({ store, port: 0 });
    try {
      const res = await fetch(new URL("api/points", readOnly.url), { method: "POST", body: "[]" });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toBe(
        "writing is disabled; start the server with INFERMARK_UI_TOKEN set",
      );
    } finally {
      await readOnly.close();
    }
  });

  it("answers a store that fails under it with 503 on writes and 500 on reads, and logs those, not the client's mistakes", async () => {
    const db = join(dir, "closing.db");
    const own = await openStore(db);
    const lines: string[] = [];
    const served = await startUiServer({
      store: own,
      port: 0,
      token: "s3cret",
      warm: false,
      logError: (line) => lines.push(line),
    });
    try {
      const write = (body: unknown) =>
        fetch(new URL("api/points", served.url), {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer s3cret" },
          body: JSON.stringify(body),
        });
      // a batch the store refuses is the client's to fix: 400, not logged
      const refused = await write([{ ...point(4), schema: "nope" }]);
      expect(refused.status).toBe(400);
      // a client that sends part of its body and goes away: nothing to log either (once the server has seen the
      // request end, and its handler has had its turn)
      const handled = new Promise<void>((resolve) =>
        served.server.once("request", (req) => req.once("close", () => setImmediate(resolve))),
      );
      const { hostname, port } = new URL(served.url);
      const gone = connect(Number(port), hostname, () =>
        gone.write(
          'POST /api/points HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer s3cret\r\nContent-Length: 1000\r\n\r\n[{"a":',
          () => gone.destroy(),
        ),
      );
      gone.on("error", () => undefined);
      await handled;
      expect(lines).toEqual([]);
      await own.close();
      const lost = await write([point(8)]);
      expect(lost.status).toBe(503);
      expect(((await lost.json()) as { error: string }).error).toMatch(
        /^the store could not take the points: /,
      );
      // a failed read's cause is for the log: a database error can name its tables or its server's address
      const read = await fetch(new URL("api/groups", served.url));
      expect([read.status, await read.json()]).toEqual([500, { error: FAILED_READ }]);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(
        /^infermark ui: POST \/api\/points: 503 the store could not take the points: /,
      );
      expect(lines[1]).toMatch(/^infermark ui: GET \/api\/groups: 500 \S/);
      expect(lines[1]).not.toContain(FAILED_READ);
      expect(lines.join("\n")).not.toContain("s3cret");
    } finally {
      await served.close();
    }
  });
});

describe.skipIf(!existsSync(join(webAppDir(), "app.js")))(
  "infermark ui where it cannot listen (needs the built dashboard)",
  () => {
    it("a port in use, an address of another machine: one line naming the flag, exit 2", async () => {
      const { dir, cleanup } = await tempDir();
      const busy = createServer();
      await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
      const { port } = busy.address() as AddressInfo;
      try {
        const db = join(dir, "ui.db");
        await (await openStore(db)).close();
        const inUse = await runCli(["ui", "--db", db, "--port", String(port)]);
        expect([inUse.code, inUse.stdout, inUse.stderr]).toEqual([
          2,
          "",
          `infermark: --port ${port} is in use on 127.0.0.1: give another port, or --port 0 for a free one\n`,
        ]);
        // 192.0.2.1 (TEST-NET-1) is never an address of this machine
        const elsewhere = await runCli(["ui", "--db", db, "--port", "0", "--host", "192.0.2.1"]);
        expect([elsewhere.code, elsewhere.stdout, elsewhere.stderr]).toEqual([
          2,
          "",
          "infermark: --host 192.0.2.1 is not an address of this machine (EADDRNOTAVAIL): give one of its addresses, 127.0.0.1, or 0.0.0.0 for all\n",
        ]);
      } finally {
        await new Promise((resolve) => busy.close(resolve));
        await cleanup();
      }
    });
  },
);
