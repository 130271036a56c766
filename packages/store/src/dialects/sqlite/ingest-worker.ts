// The SQLite writer thread: owns its own connection to the database file and runs each ingest's
// transaction as the main thread streams its chunks (see ingest-thread.ts for the protocol).
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { openConnection, WRITER_AUTOCHECKPOINT_BYTES } from "./connection.js";
import { SqliteIngest } from "./sqlite-ingest.js";
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
/** The error that ended the current transaction early (it was rolled back), reported at commit. */
let failure: Error | undefined;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function rollback(): void {
  if (database.inTransaction) database.exec("ROLLBACK");
}

port.on("message", (m: ToWorker) => {
  switch (m.type) {
    case "begin":
      failure = undefined;
      try {
        database.exec("BEGIN IMMEDIATE");
        ingest.start(m.replaces);
      } catch (error) {
        failure = error as Error;
        rollback();
      }
      return;
    case "chunk":
      if (failure) return;
      try {
        ingest.write(m.chunk);
      } catch (error) {
        failure = error as Error;
        rollback();
      }
      return;
    case "commit":
      if (failure) {
        port.postMessage({ type: "failed", message: message(failure) });
        return;
      }
      try {
        const inserted = ingest.finish(m.log, m.total);
        database.exec("COMMIT");
        port.postMessage({ type: "done", inserted });
        commits.postMessage(null);
      } catch (error) {
        rollback();
        port.postMessage({ type: "failed", message: message(error) });
      }
      return;
    case "abort":
      rollback();
      port.postMessage({ type: "done", inserted: 0 });
      return;
    case "close":
      rollback();
      database.close();
      commits.close();
      port.postMessage({ type: "closed" });
      port.close();
      return;
  }
});
