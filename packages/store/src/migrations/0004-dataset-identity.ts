import { type PointResult, workloadKind } from "@infermark/core";
import { type Kysely, sql } from "kysely";
import { configurationRowOf, levelHash } from "../point-row.js";
import { insertIgnore, rebuildDerived } from "./rebuild-derived.js";

/** Points read and rewritten per statement. */
const PAGE = 1_000;

/**
 * Makes a dataset file part of a point's identity (core since 2026-11-28): its name goes into the configuration key
 * (`configurationKey`, so the configuration id and level hash) and into the workload kind (`sharegpt chat.json`,
 * `jsonl prompts.jsonl`, `session chat.json x4`). Before, every ShareGPT-format file was one workload: two datasets
 * of one ISL/OSL shared a configuration, a group and a frontier, and the later one's points replaced the earlier
 * one's as the latest of a level. Only points whose JSON names a dataset are read and rewritten; the latest points
 * and the group counts are then rebuilt, and configurations no point uses any more are removed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await rekey(db, (w) => w);
}

/** Back to 0003: keys and kinds without the dataset file (what core computed before). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await rekey(db, ({ dataset: _, ...w }) => w);
}

async function rekey(
  db: Kysely<unknown>,
  workloadOf: (w: PointResult["config"]["workload"]) => PointResult["config"]["workload"],
): Promise<void> {
  let after = "";
  for (;;) {
    const { rows } = await sql<{ id: string; json: string }>`select id, json from points
      where json like ${'%"dataset":%'} and id > ${after} order by id limit ${sql.lit(PAGE)}`.execute(
      db,
    );
    for (const r of rows) {
      const point = JSON.parse(r.json) as PointResult;
      const config = { ...point.config, workload: workloadOf(point.config.workload) };
      const c = configurationRowOf(config);
      await insertIgnore(db, "configurations", c as unknown as Record<string, unknown>);
      await sql`update points set configuration_id = ${c.id},
        level_hash = ${levelHash(c.id, config.load)}, workload = ${workloadKind(config.workload)}
        where id = ${r.id}`.execute(db);
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.id;
  }
  await rebuildDerived(db);
}
