import { type DuplicatesRemoved, openStore } from "@infermark/store";
import { findDuplicates } from "./import-duplicates.js";

/** Options of `dedupeStore`. */
export interface DedupeStoreOptions {
  /** Database URL or SQLite path. @default INFERMARK_DB, else infermark.db */
  db?: string;
  /**
   * Find and count the copies, write nothing.
   * @default false
   */
  dryRun?: boolean;
}

/**
 * Cleans a store of the copies of one measurement that were stored side by side before imports merged them
 * (databases written by older infermark, e.g. an export imported back into its own store): among the stored points
 * with the same configuration, load level, source, date and run link, a point whose every value another has too
 * (provenance aside) is removed and the richer copy kept, by `findDuplicates`, the rule `import inferencex`
 * applies; of copies with the same values the first stored stays (the candidates come in the order they were
 * stored). Runs and configurations left without points go too.
 * One transaction; the ingest log records it. A database that does not exist is an error, not a new store.
 * @example const { removed } = await dedupeStore({ db: "infermark.db", dryRun: true });
 */
export async function dedupeStore(options: DedupeStoreOptions = {}): Promise<DuplicatesRemoved> {
  const store = await openStore(options.db, { create: false });
  try {
    return await store.removeDuplicates(
      (candidates) =>
        findDuplicates([candidates.map((c) => c.point)]).map((d) => ({
          id: candidates[d.index]!.id,
          keptId: candidates[d.of.index]!.id,
        })),
      { dryRun: options.dryRun ?? false },
    );
  } finally {
    await store.close();
  }
}
