import pg from "pg";

/**
 * Runs `use` with the URL of a fresh schema named `name` in the PostgreSQL at `url` (its search_path), and drops
 * the schema afterwards, whatever happened.
 */
export async function withPgSchema(
  url: string,
  name: string,
  use: (schemaUrl: string) => Promise<void>,
): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${name}`);
  try {
    const schemaUrl = new URL(url);
    schemaUrl.searchParams.set("options", `-c search_path=${name}`);
    await use(schemaUrl.toString());
  } finally {
    await admin.query(`DROP SCHEMA ${name} CASCADE`);
    await admin.end();
  }
}
