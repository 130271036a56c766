import { PointResult } from "@infermark/core";
import { openStore, type Store } from "@infermark/store";
import { describe, expect, it } from "vitest";
import { startUiServer } from "../src/ui/api-server.js";
import { storeVersion } from "../src/ui/store-version.js";
import { pointJson } from "./helpers.js";
import { STORE_TARGETS } from "./store-targets.js";

/** A plugin of the store's Kysely instance (kysely is the store's dependency, not the CLI's). */
type KyselyPlugin = Parameters<Store["db"]["withPlugin"]>[0];

/** A Kysely plugin that counts the statements reading `ingest_log` (the store's version, counted). */
function logReads() {
  let reads = 0;
  const plugin: KyselyPlugin = {
    transformQuery: ({ node }) => {
      if (JSON.stringify(node).includes('"ingest_log"')) reads++;
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return { plugin, reads: () => reads };
}

/** Another writer of the store: a connection of its own, as `infermark ingest` opens. */
async function ingestElsewhere(url: string, concurrency: number) {
  const other = await openStore(url);
  try {
    await other.ingest([PointResult.parse(pointJson(concurrency))], { kind: "ingest", path: "t" });
  } finally {
    await other.close();
  }
}

for (const kind of STORE_TARGETS)
  describe.skipIf(kind.skip)(`infermark ui's store version (${kind.name})`, () => {
    it("changes with every ingest from any connection, and the list answers follow it", async () => {
      const target = await kind.create();
      const store = await openStore(target.url);
      const ui = await startUiServer({ store, port: 0, warm: false });
      const dates = async () =>
        ((await (await fetch(new URL("api/dates", ui.url))).json()) as { dates: string[] }).dates;
      try {
        const version = storeVersion(store.db, store.dialect);
        expect([await version(), await dates()]).toEqual(["0", []]);
        await ingestElsewhere(target.url, 1);
        expect([await version(), await dates()]).toEqual(["1", ["2026-11-27"]]);
        await ingestElsewhere(target.url, 2);
        expect(await version()).toBe("2");
      } finally {
        await ui.close();
        await store.close();
        await target.cleanup();
      }
    }, 60_000);

    // PostgreSQL only (SQLite counts every time, from its page headers): defined there alone, not a skip
    if (kind.name === "postgres")
      it("reads the ingest log again only after a commit: a request with none since the last costs no count", async () => {
        const target = await kind.create();
        const store: Store = await openStore(target.url);
        try {
          await ingestElsewhere(target.url, 1);
          const log = logReads();
          const version = storeVersion(store.db.withPlugin(log.plugin), store.dialect);
          expect([await version(), log.reads()]).toEqual(["1", 1]);
          // other tests commit on the same database server meanwhile, each a reason to count again: wait for a
          // call between two of their commits
          await expect
            .poll(async () => {
              const before = log.reads();
              return [await version(), log.reads() - before];
            })
            .toEqual(["1", 0]);
          await ingestElsewhere(target.url, 2);
          const before = log.reads();
          expect([await version(), log.reads() - before]).toEqual(["2", 1]);
        } finally {
          await store.close();
          await target.cleanup();
        }
      }, 60_000);
  });
