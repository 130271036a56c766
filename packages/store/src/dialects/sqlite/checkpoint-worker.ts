// The SQLite checkpoint thread: copies the write-ahead log into the database file when asked, on its own
// connection, so that the writer thread does not wait for the checkpoint's writes and fsyncs.
import { parentPort, workerData } from "node:worker_threads";
import { openConnection } from "./connection.js";

const port = parentPort!;
const database = openConnection((workerData as { path: string }).path);

port.on("message", (m: { type: "checkpoint" | "close" }) => {
  if (m.type === "checkpoint") {
    try {
      // PASSIVE: copies what no reader needs, never blocks the writer; the rest waits for the next one.
      database.pragma("wal_checkpoint(PASSIVE)");
    } catch {
      // busy or failing: the writer's own automatic checkpoint is the backstop
    }
    port.postMessage({ type: "checkpointed" });
  } else {
    database.close();
    port.postMessage({ type: "closed" });
    port.close();
  }
});
