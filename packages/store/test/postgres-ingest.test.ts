import type { ControlledTransaction } from "kysely";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kyselySink } from "../src/dialects/kysely-ingest.js";
import { kyselyWriter } from "../src/dialects/kysely-writer.js";
import type { IngestSink } from "../src/dialects/types.js";
import { openStore, type Store, type StoreDatabase } from "../src/index.js";
import { ingestPoints } from "../src/ingest.js";
import { DIALECTS, makePoint, type TestDatabase } from "./helpers.js";

const postgres = DIALECTS.find((d) => d.name === "postgres")!;

describe.skipIf(postgres.skip)("PostgreSQL ingest of a level's request records", () => {
  let target: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    target = await postgres.create();
    store = await openStore(target.url);
  });
  afterEach(async () => {
    await store.close();
    await target.cleanup();
  });

  it("writes the records inside the transaction once they pass the buffer, not all at commit", async () => {
    let trx: ControlledTransaction<StoreDatabase> | undefined;
    /** Records the transaction holds after each write that wrote. */
    const written: number[] = [];
    const begin = async (): Promise<IngestSink> => {
      const sink = await kyselySink(
        () => store.db.startTransaction().execute(),
        (t) => {
          trx = t as ControlledTransaction<StoreDatabase>;
          return kyselyWriter(t, 60_000);
        },
        [],
        10_000,
      );
      return {
        ...sink,
        async write(chunk) {
          const writing = sink.write(chunk);
          if (!writing) return;
          await writing;
          const { rows } = await sql<{
            n: string;
          }>`select count(*) as n from request_records`.execute(trx!);
          written.push(Number(rows[0]!.n));
        },
      };
    };
    const records = (n: number, tag: string) =>
      Array.from({ length: n }, (_, index) => ({ index, tag }));
    const result = await ingestPoints(
      { db: store.db, begin },
      [makePoint({ concurrency: 4 }), makePoint({ concurrency: 8 })],
      { requests: [records(4500, "a"), records(3, "b")] },
    );
    expect(result).toMatchObject({ inserted: 2 });
    // chunks of 2,000 records, about 23 characters each: every chunk passes the 10,000-character buffer
    expect(written).toEqual([2000, 4000, 4503]);
    const stored = await store.db
      .selectFrom("request_records")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(4503);
  });
});
