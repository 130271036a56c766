import { MessageChannel, type TransferListItem, Worker } from "node:worker_threads";
import type { IngestLogStub, IngestSink, Read, ReadRows, RowChunk } from "../types.js";
import type { FromWorker, ToWorker } from "./worker-protocol.js";

/** The error of a `failed` reply, with SQLite's code when the thread gave one. */
const failure = ({ message, code }: { message: string; code?: string }): Error =>
  Object.assign(new Error(message), code !== undefined ? { code } : {});

/**
 * The main thread's side of the SQLite writer thread. The thread has its own connection to the file and
 * runs one ingest transaction at a time: `begin` waits for the previous ingest to end, chunks are posted as
 * the caller builds them (the thread writes chunk k while the caller builds chunk k + 1: on two cores the
 * JSON and hashing work and the SQLite work overlap), `commit` resolves with the thread's answer. The thread
 * starts on the first ingest and holds the event loop open only while an ingest is under way.
 */
export class IngestThread {
  private worker: Worker | undefined;
  private exited: Promise<void> | undefined;
  /** Resolvers of the replies the thread owes, in order. */
  private readonly waiting: { resolve(r: FromWorker): void; reject(e: Error): void }[] = [];
  /**
   * Ends when the ingest under way (if any) has posted its last message: ingests post one after another,
   * and the thread runs them in that order.
   */
  private turn: Promise<void> = Promise.resolve();
  private closed = false;
  private checkpointer: Worker | undefined;
  private checkpointerExited: Promise<void> = Promise.resolve();
  /** Ingests whose commit or abort the thread has not answered yet. */
  private unanswered = 0;

  constructor(private readonly path: string) {}

  /** Whether the thread is running (it starts on the first ingest handed to it). */
  get started(): boolean {
    return this.worker !== undefined;
  }

  /** Starts the writer thread and the checkpoint thread, joined by a port the writer tells each commit on. */
  private start(): Worker {
    const { port1, port2 } = new MessageChannel();
    const worker = spawnWorker("ingest-worker", { path: this.path, commits: port1 }, [port1]);
    worker.on("message", (m: FromWorker) => this.waiting.shift()?.resolve(m));
    const fail = (error: Error) => {
      this.worker = undefined;
      for (const w of this.waiting.splice(0)) w.reject(error);
    };
    worker.on("error", fail);
    this.exited = new Promise((resolve) =>
      worker.once("exit", (code) => {
        fail(new Error(`SQLite writer thread exited (code ${code})`));
        resolve();
      }),
    );
    worker.unref();
    // A writer started again (the one before exited) gets a checkpoint thread of its own: close the old one.
    this.checkpointer?.postMessage({ type: "close" });
    const checkpointer = spawnWorker("checkpoint-worker", { path: this.path, commits: port2 }, [
      port2,
    ]);
    this.checkpointer = checkpointer;
    const before = this.checkpointerExited;
    this.checkpointerExited = Promise.all([
      before,
      new Promise<void>((resolve) => checkpointer.once("exit", () => resolve())),
    ]).then(() => undefined);
    // A failing checkpoint thread leaves checkpoints to the writer's automatic ones.
    checkpointer.on("error", () => {
      if (this.checkpointer === checkpointer) this.checkpointer = undefined;
    });
    checkpointer.unref();
    return worker;
  }

  /** Waits for the ingest under way to end and takes the turn; call the returned function to pass it on. */
  async takeTurn(): Promise<() => void> {
    if (this.closed) throw new Error("the store is closed");
    const previous = this.turn;
    let end!: () => void;
    this.turn = new Promise((resolve) => {
      end = resolve;
    });
    await previous;
    return end;
  }

  /** Posts without waiting for an answer; a thread that is gone is reported by the next `reply`. */
  private post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private reply(message: ToWorker): Promise<FromWorker> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error("SQLite writer thread is not running"));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      worker.postMessage(message);
    });
  }

  /**
   * Starts an ingest transaction on the thread, given the turn (`takeTurn`: the previous ingest has posted its
   * last message, its commit or abort; call `end` to pass it on, which this does): the thread handles messages in order, so this ingest's chunks queue up behind the
   * previous commit instead of waiting on the caller's side for its answer. Given reads, it waits for what they
   * found, read by the thread once the transaction has begun (after the previous ingest's commit).
   */
  async begin(end: () => void, reads: readonly Read[] = []): Promise<IngestSink> {
    try {
      this.worker ??= this.start();
    } catch (error) {
      end();
      throw error;
    }
    const worker = this.worker;
    // Keep the process alive until every ingest's answer is in.
    if (this.unanswered++ === 0) worker.ref();
    const answered = () => {
      if (--this.unanswered === 0) worker.unref();
    };
    /** Whether the commit or abort was posted (this ingest's last message; the turn passes on then). */
    let last = false;
    const final = (message: ToWorker): Promise<FromWorker> => {
      last = true;
      const reply = this.reply(message);
      end();
      return reply;
    };
    const abort = async () => {
      if (last) return;
      try {
        await final({ type: "abort" });
      } catch {
        // the thread is gone: its transaction went with it
      } finally {
        answered();
      }
    };
    let found: ReadRows[] = [];
    if (reads.length === 0) this.post({ type: "begin", reads });
    else {
      let r: FromWorker;
      try {
        r = await this.reply({ type: "begin", reads });
      } catch (error) {
        await abort();
        throw error;
      }
      if (r.type !== "found") {
        await abort();
        throw r.type === "failed" ? failure(r) : new Error(`unexpected reply ${r.type}`);
      }
      found = r.found;
    }
    return {
      found,
      read: async (more: readonly Read[]) => {
        if (last) throw new Error("read: the ingest was already committed or aborted");
        const r = await this.reply({ type: "read", reads: more });
        if (r.type !== "found")
          throw r.type === "failed" ? failure(r) : new Error(`unexpected reply ${r.type}`);
        return r.found;
      },
      start: (replaces: readonly string[]) => {
        if (!last) this.post({ type: "start", replaces });
      },
      write: (chunk: RowChunk) => {
        if (!last) this.post({ type: "chunk", chunk });
      },
      commit: async (log: IngestLogStub, total: number) => {
        if (last) throw new Error("the ingest was already committed or aborted");
        try {
          const r = await final({ type: "commit", log, total });
          if (r.type === "failed") throw failure(r);
          return r.type === "done" ? r.inserted : 0;
        } finally {
          answered();
        }
      },
      abort,
    };
  }

  /** Waits for the ingest under way, closes the threads' connections and ends the threads. */
  async close(): Promise<void> {
    this.closed = true;
    await this.turn;
    const worker = this.worker;
    if (worker) {
      worker.ref();
      try {
        await this.reply({ type: "close" });
      } catch {
        // already gone
      }
      await this.exited;
      this.worker = undefined;
    }
    const checkpointer = this.checkpointer;
    if (checkpointer) {
      this.checkpointer = undefined;
      checkpointer.ref();
      checkpointer.postMessage({ type: "close" });
    }
    await this.checkpointerExited;
  }
}

/**
 * The parent's Node options a thread may take too: profiling and source maps. Others are left out, since
 * a worker refuses process-wide and V8 flags (`--max-semi-space-size`, `--trace-gc`, ...) with an error.
 */
const THREAD_OPTIONS = /^--(cpu-prof|heap-prof|enable-source-maps|stack-trace-limit)/;

/**
 * Starts a thread running `name` (a module next to this one). From built code that is `name.js`; run from
 * source (`.ts`, under tsx or vitest) the thread registers tsx first and resolves workspace packages to
 * their sources, like its parent.
 */
function spawnWorker(name: string, workerData: object, transferList: TransferListItem[]): Worker {
  const here = import.meta.url;
  const execArgv = process.execArgv.filter((option) => THREAD_OPTIONS.test(option));
  if (!here.endsWith(".ts"))
    return new Worker(new URL(`./${name}.js`, here), { workerData, transferList, execArgv });
  const entry = new URL(`./${name}.ts`, here).href;
  // Resolved from this module: an eval'd worker resolves bare names from the working folder, which
  // need not be inside the repository.
  const tsxApi = import.meta.resolve("tsx/esm/api");
  return new Worker(
    `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`,
    {
      eval: true,
      workerData,
      transferList,
      execArgv: [...execArgv, "--conditions=infermark-source"],
    },
  );
}
