import type { Kysely } from "kysely";

// Migrations take Kysely<unknown>: they describe the schema at their own point in history, not today's types.
// Types are portable between SQLite and PostgreSQL: text, integer (also 0/1 flags), double precision.

/** The initial schema: runs, configurations, points, latest points, request records, power, server metrics, ingest log. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("runs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("tool_version", "text")
    .addColumn("git_sha", "text")
    .addColumn("ci_url", "text")
    .addColumn("host", "text")
    .addColumn("run_label", "text")
    .execute();

  await db.schema
    .createTable("configurations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("natural_key", "text", (c) => c.notNull().unique())
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("hardware", "text", (c) => c.notNull())
    .addColumn("framework", "text", (c) => c.notNull())
    .addColumn("precision", "text", (c) => c.notNull())
    .addColumn("spec_method", "text", (c) => c.notNull())
    .addColumn("disaggregated", "integer", (c) => c.notNull())
    .addColumn("multinode", "integer", (c) => c.notNull())
    .addColumn("gpus", "integer", (c) => c.notNull())
    .addColumn("prefill_gpus", "integer", (c) => c.notNull())
    .addColumn("decode_gpus", "integer", (c) => c.notNull())
    .addColumn("isl", "integer", (c) => c.notNull())
    .addColumn("osl", "integer", (c) => c.notNull())
    .execute();

  let points = db.schema
    .createTable("points")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("run_id", "text", (c) => c.notNull())
    .addColumn("configuration_id", "text", (c) => c.notNull())
    .addColumn("level_hash", "text", (c) => c.notNull())
    .addColumn("ingest_id", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("hardware", "text", (c) => c.notNull())
    .addColumn("framework", "text", (c) => c.notNull())
    .addColumn("precision", "text", (c) => c.notNull())
    .addColumn("spec_method", "text", (c) => c.notNull())
    .addColumn("disaggregated", "integer", (c) => c.notNull())
    .addColumn("isl", "integer", (c) => c.notNull())
    .addColumn("osl", "integer", (c) => c.notNull())
    .addColumn("gpus", "integer", (c) => c.notNull())
    .addColumn("load_mode", "text", (c) => c.notNull())
    .addColumn("concurrency", "integer")
    .addColumn("rate", "double precision")
    .addColumn("valid", "integer", (c) => c.notNull())
    .addColumn("image", "text");
  for (const metric of [
    "tput_per_gpu",
    "input_tput_per_gpu",
    "output_tput_per_gpu",
    "median_intvty",
    "p99_intvty",
    "median_ttft",
    "p99_ttft",
    "median_tpot",
    "p99_tpot",
    "median_itl",
    "median_e2el",
    "p99_e2el",
    "j_per_total_token",
  ]) {
    points = points.addColumn(metric, "double precision");
  }
  await points.addColumn("json", "text", (c) => c.notNull()).execute();

  await db.schema
    .createIndex("points_model_idx")
    .on("points")
    .columns(["model", "isl", "osl", "day"])
    .execute();
  await db.schema.createIndex("points_day_idx").on("points").column("day").execute();
  await db.schema
    .createIndex("points_level_idx")
    .on("points")
    .columns(["level_hash", "date"])
    .execute();
  await db.schema.createIndex("points_run_idx").on("points").column("run_id").execute();

  await db.schema
    .createTable("latest_points")
    .addColumn("level_hash", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("date", "text", (c) => c.notNull())
    .addColumn("point_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("latest_points_pk", ["level_hash", "source"])
    .execute();
  await db.schema
    .createIndex("latest_points_model_idx")
    .on("latest_points")
    .column("model")
    .execute();

  await db.schema
    .createTable("request_records")
    .addColumn("point_id", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("json", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("request_records_pk", ["point_id", "seq"])
    .execute();

  await db.schema
    .createTable("power_samples")
    .addColumn("point_id", "text", (c) => c.notNull())
    .addColumn("t", "double precision", (c) => c.notNull())
    .addColumn("gpu", "integer", (c) => c.notNull())
    .addColumn("watts", "double precision", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("power_samples_point_idx")
    .on("power_samples")
    .column("point_id")
    .execute();

  await db.schema
    .createTable("server_metrics")
    .addColumn("point_id", "text", (c) => c.notNull())
    .addColumn("phase", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("value", "double precision", (c) => c.notNull())
    .addPrimaryKeyConstraint("server_metrics_pk", ["point_id", "phase", "name"])
    .execute();

  await db.schema
    .createTable("ingest_log")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("path", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("inserted", "integer", (c) => c.notNull())
    .addColumn("unchanged", "integer", (c) => c.notNull())
    .addColumn("skipped", "integer", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("details", "text")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "ingest_log",
    "server_metrics",
    "power_samples",
    "request_records",
    "latest_points",
    "points",
    "configurations",
    "runs",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
