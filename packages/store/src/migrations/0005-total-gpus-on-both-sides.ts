import { type PointResult, totalOnBothSides } from "@infermark/core";
import { type Kysely, sql } from "kysely";
import { pointRowOf, preparePoint } from "../point-row.js";
import { insertIgnore, rebuildDerived } from "./rebuild-derived.js";

/** Points read per statement. */
const PAGE = 1_000;

/** The points table's foreign keys to a point, whose rows follow a repaired point to its new id. */
const DETAILS = ["request_records", "power_samples", "server_metrics"] as const;

/**
 * Reads again the GPUs of imported InferenceX points from the first disaggregated rows (GB200, 2025-12, 0 workers a
 * side), which give the deployment's GPU count as both the prefill and the decode count: they were stored as N + N
 * GPUs, N a side; core's `totalOnBothSides` (the importer since 2026-11-28) reads N GPUs, split as the row's per-GPU
 * throughputs say (4 prefill of 36). The topology is part of a point's content, so a repaired point gets a new id
 * (its details follow it), its configuration and level change, and the latest points, group counts and unused
 * configurations are rebuilt.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  let after = "";
  for (;;) {
    const { rows } = await sql<{
      id: string;
      json: string;
      ingest_id: string;
    }>`select id, json, ingest_id
      from points where source = 'imported' and disaggregated = 1 and json like ${'%"workers":0%'}
      and id > ${after} order by id limit ${sql.lit(PAGE)}`.execute(db);
    for (const r of rows) {
      const point = JSON.parse(r.json) as PointResult;
      const t = point.config.topology;
      if (t.prefill?.workers !== 0 || t.decode?.workers !== 0) continue;
      const gpus = totalOnBothSides(t.prefillGpus, t.decodeGpus, point.metrics);
      if (!gpus) continue;
      const topology = { disaggregated: true, multinode: t.multinode, ...gpus };
      const p = preparePoint(
        { ...point, config: { ...point.config, topology } },
        undefined,
        r.ingest_id,
      );
      await insertIgnore(
        db,
        "configurations",
        p.configuration as unknown as Record<string, unknown>,
      );
      // the columns of `points` at this version: a later migration's column (0006's software) is not there yet
      const { software: _later, ...row } = pointRowOf(p.values);
      await insertIgnore(db, "points", row as unknown as Record<string, unknown>);
      for (const table of DETAILS)
        await sql`update ${sql.table(table)} set point_id = ${p.id} where point_id = ${r.id}`.execute(
          db,
        );
      await sql`delete from points where id = ${r.id}`.execute(db);
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.id;
  }
  await rebuildDerived(db);
}

/** Nothing to undo: the N + N reading was wrong, and a store of 0004 reads the repaired points as they are. */
export async function down(_db: Kysely<unknown>): Promise<void> {}
