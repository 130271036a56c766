// The SQLite writer thread: owns its own connection to the database file and runs each ingest's
// transaction as the main thread streams its chunks (see ingest-thread.ts for the protocol).
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { openConnection, WRITER_AUTOCHECKPOINT_BYTES } from "./connection.js";
import { SqliteIngest } from "./sqlite-ingest.js";
import { SqliteTransaction } from "./sqlite-transaction.js";
import type { ToWorker } from "./worker-protocol.js";

const port = parentPort!;
const { path, commits } = workerData as { path: string; commits: MessagePort };
const database = openConnection(path);
// The checkpoint thread copies the log into the database after each commit (told over `commits`); this
// connection checkpoints only when the log has grown past WRITER_AUTOCHECKPOINT_BYTES (a backstop: it then
// finds most pages copied), in pages of this file's size.
const pageSize = database.pragma("page_size", { simple: true }) as number;
database.pragma(`wal_autocheckpoint = ${Math.ceil(WRITER_AUTOCHECKPOINT_BYTES / pageSize)}`);
const ingest = new SqliteIngest(database);
/** The ingest under way (from its `begin` to its `commit` or `abort`). */
let transaction = new SqliteTransaction(database, ingest);

/** A failure as the main thread gets it: its message, and SQLite's code when it has one. */
const failed = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return {
    type: "failed" as const,
    message: error instanceof Error ? error.message : String(error),
    ...(typeof code === "string" ? { code } : {}),
  };
};

port.on("message", (m: ToWorker) => {
  switch (m.type) {
    case "begin":
      transaction = new SqliteTransaction(database, ingest);
      try {
        database.exec("BEGIN IMMEDIATE");
        // Only a begin with reads is answered: the caller waits for what they found.
        if (m.reads.length > 0)
          port.postMessage({ type: "found", found: transaction.read(m.reads) });
      } catch (error) {
        transaction.fail(error);
        if (m.reads.length > 0) port.postMessage(failed(error));
      }
      return;
    case "read":
      try {
        port.postMessage({ type: "found", found: transaction.read(m.reads) });
      } catch (error) {
        port.postMessage(failed(error));
      }
      return;
    case "start":
      transaction.start(m.replaces);
      return;
    case "chunk":
      transaction.write(m.chunk);
      return;
    case "commit":
      try {
        const inserted = transaction.commit(m.log, m.total);
        port.postMessage({ type: "done", inserted });
        commits.postMessage(null);
      } catch (error) {
        port.postMessage(failed(error));
      }
      return;
    case "abort":
      transaction.rollback();
      port.postMessage({ type: "done", inserted: 0 });
      return;
    case "close":
      transaction.rollback();
      database.close();
      commits.close();
      port.postMessage({ type: "closed" });
      port.close();
      return;
  }
});
