// The SQLite checkpoint thread: copies the write-ahead log into the database file on its own connection, so
// that the writer thread does not wait for the checkpoint's writes and fsyncs. The writer thread tells it of
// each commit directly, over its own message port (no hop through the main thread, whose event loop may be
// busy building the next file's rows); the main thread only closes it.
import {
  type MessagePort,
  parentPort,
  receiveMessageOnPort,
  workerData,
} from "node:worker_threads";
import { openConnection } from "./connection.js";

const { path, commits } = workerData as { path: string; commits: MessagePort };
const port = parentPort!;
const database = openConnection(path);

commits.on("message", () => {
  // Several commits told at once need one checkpoint: drop the notices already queued behind this one.
  while (receiveMessageOnPort(commits) !== undefined);
  try {
    // PASSIVE: copies what no reader needs, never blocks the writer; the rest waits for the next one.
    database.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // busy or failing: the writer's own automatic checkpoint is the backstop
  }
});
commits.unref();

port.on("message", (m: { type: "close" }) => {
  if (m.type !== "close") return;
  commits.close();
  database.close();
  port.postMessage({ type: "closed" });
  port.close();
});
