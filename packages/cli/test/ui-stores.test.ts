import { fileURLToPath } from "node:url";
import { openStore, type Store } from "@infermark/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aggregateRecordsFile } from "../src/commands/aggregate.js";
import { importInferencex } from "../src/commands/import.js";
import { readRequestRecords } from "../src/commands/ingest.js";
import { FAILED_READ, startUiServer, type UiServer } from "../src/ui/api-server.js";
import { STORE_TARGETS, type StoreTarget } from "./store-targets.js";

const SNAPSHOT = fileURLToPath(
  new URL("../../../examples/data/inferencex/benchmarks.json", import.meta.url),
);
const RECORDS = fileURLToPath(
  new URL("../../../examples/requests/h200-dsr1-c8.jsonl", import.meta.url),
);

const postgres = STORE_TARGETS.find((kind) => kind.name === "postgres")!;

describe.skipIf(postgres.skip)(
  "infermark ui over PostgreSQL answers as over SQLite, for the same points",
  () => {
    const served: { target: StoreTarget; store: Store; ui: UiServer }[] = [];
    let id: string;

    beforeAll(async () => {
      // the same points in both: the InferenceX snapshot, and one measured point with its request records
      const point = await aggregateRecordsFile(RECORDS, {
        model: "dsr1",
        hardware: "h200",
        framework: "vllm",
        precision: "fp8",
        gpus: 8,
        isl: 1024,
        osl: 1024,
        concurrency: 8,
        date: "2026-07-01T10:00:00Z",
      });
      const requests = await readRequestRecords(RECORDS);
      for (const kind of STORE_TARGETS) {
        const target = await kind.create();
        await importInferencex([SNAPSHOT], { db: target.url });
        const store = await openStore(target.url);
        const ui = await startUiServer({ store, port: 0, token: "s3cret", warm: false });
        served.push({ target, store, ui });
        const res = await fetch(new URL("api/points", ui.url), {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer s3cret" },
          body: JSON.stringify({ points: [point], requests: [requests] }),
        });
        id = ((await res.json()) as { ids: string[] }).ids[0]!;
      }
    }, 120_000);
    afterAll(async () => {
      for (const { target, store, ui } of served) {
        await ui.close();
        await store.close();
        await target.cleanup();
      }
    });

    it("lists, one point, its request records and errors: the same status and body", async () => {
      const paths = [
        "api/points?fields=slim",
        "api/points?fields=full&hardware=h200,b200",
        "api/points?fields=columns&latest=true",
        "api/points?fields=slim&isl=1024&osl=1024&validOnly=true&dateFrom=2025-01-01",
        "api/points?model=nosuch",
        "api/groups",
        "api/groups?source=measured",
        "api/dates?hardware=h200",
        `api/points/${id}`,
        `api/points/${id}/requests`,
        "api/points/nope",
        "api/points?latest=maybe",
      ];
      for (const path of paths) {
        const [sqlite, pg] = await Promise.all(
          served.map(async ({ ui }) => {
            const res = await fetch(new URL(path, ui.url));
            return { status: res.status, body: await res.text() };
          }),
        );
        expect(pg, path).toEqual(sqlite);
      }
      // a measured point with all its records went in: the comparison compared something
      const detail = await fetch(new URL(`api/points/${id}`, served[0]!.ui.url));
      expect(((await detail.json()) as { requestRecords: number }).requestRecords).toBe(42);
    });

    it("a read that fails answers 500 without its cause; the log has the cause, never the URL", async () => {
      const target = await postgres.create();
      const store = await openStore(target.url);
      const lines: string[] = [];
      const ui = await startUiServer({
        store,
        port: 0,
        warm: false,
        logError: (l) => lines.push(l),
      });
      try {
        // the schema goes under the running server: every read fails in the database
        await target.cleanup();
        const res = await fetch(new URL("api/groups", ui.url));
        expect([res.status, await res.json()]).toEqual([500, { error: FAILED_READ }]);
        expect(lines).toEqual([
          'infermark ui: GET /api/groups: 500 relation "ingest_log" does not exist',
        ]);
        expect(lines.join("\n")).not.toContain(`:${new URL(target.url).password}@`);
      } finally {
        await ui.close();
        await store.close();
      }
    });
  },
);
