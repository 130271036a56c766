import type { Store } from "@infermark/store";

/**
 * The store's version for the dashboard server's answer cache: how many ingests its log holds (every ingest, from
 * any process, appends to `ingest_log` in the transaction that writes its points). SQLite counts them from its
 * b-tree's page headers (0.1 ms at 400,000 ingests). PostgreSQL reads every row (4 ms at 100,000 ingests, 48 ms at
 * 400,000, on each list request, holding one of the pool's 4 connections), so there the count is kept with the
 * database's snapshot (`pg_current_snapshot()`) taken before it: while the snapshot is the same, no transaction
 * has committed since, and the count still holds; a commit anywhere on the database server makes it count again.
 * @example const version = storeVersion(store.db, store.dialect); await version() // "12"
 */
export function storeVersion(db: Store["db"], dialect: Store["dialect"]): () => Promise<string> {
  const count = async () => {
    const row = await db
      .selectFrom("ingest_log")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirst();
    return String(row?.n ?? 0);
  };
  if (dialect !== "postgres") return count;
  let kept: { snapshot: string; version: string } | undefined;
  return async () => {
    const { snapshot } = await db
      .selectNoFrom((eb) =>
        eb.cast<string>(eb.fn("pg_current_snapshot", []), "text").as("snapshot"),
      )
      .executeTakeFirstOrThrow();
    if (kept?.snapshot === snapshot) return kept.version;
    // counted after the snapshot: a commit in between is counted too, and changes the next snapshot
    const version = await count();
    kept = { snapshot, version };
    return version;
  };
}
