/** How much answer text the dashboard server keeps at most: 256 MiB. */
export const DEFAULT_ANSWER_CACHE_BYTES = 256 * 1024 * 1024;

/** Options of `answerCache`. */
export interface AnswerCacheOptions {
  /**
   * Most characters of answers kept; past it the least recently used answers are dropped (a dashboard stepping
   * its "as of" day through a year asks for hundreds of point sets, each megabytes). @default DEFAULT_ANSWER_CACHE_BYTES
   */
  maxBytes?: number;
  /**
   * The store's current version: answers made under another version are made again. Read before an answer is
   * made, so an answer is never newer than the version it is kept under.
   */
  version: () => Promise<string>;
}

/** Serialised answers by key, each kept while the store's version is the one it was made under. */
export interface AnswerCache {
  /** The answer of `key`, made by `make` unless one made under the current version is kept or pending. */
  get(key: string, make: () => Promise<string>): Promise<string>;
  /** Drops every answer. */
  clear(): void;
}

interface Entry {
  version: string;
  answer: Promise<string>;
  /** the answer's length once made (0 while pending) */
  bytes: number;
}

/**
 * A cache of the list endpoints' answers. Concurrent requests for one key share one pending answer. The version
 * is read on every request, so a write by any process (another `infermark ingest`, a sweep, a second server on
 * the same database) is seen by the next request.
 * @example const cache = answerCache({ version: async () => "1" }); await cache.get("groups", make)
 */
export function answerCache(options: AnswerCacheOptions): AnswerCache {
  const maxBytes = options.maxBytes ?? DEFAULT_ANSWER_CACHE_BYTES;
  // Map order is use order: a hit moves its entry to the end, so eviction starts at the least recently used
  const entries = new Map<string, Entry>();
  let bytes = 0;
  const drop = (key: string) => {
    bytes -= entries.get(key)?.bytes ?? 0;
    entries.delete(key);
  };
  const evict = () => {
    for (const key of entries.keys()) {
      if (bytes <= maxBytes) return;
      drop(key);
    }
  };
  return {
    async get(key, make) {
      const version = await options.version();
      const hit = entries.get(key);
      if (hit?.version === version) {
        entries.delete(key);
        entries.set(key, hit);
        return hit.answer;
      }
      drop(key);
      const entry: Entry = { version, answer: make(), bytes: 0 };
      entries.set(key, entry);
      entry.answer.then(
        (text) => {
          if (entries.get(key) !== entry) return;
          entry.bytes = text.length;
          bytes += entry.bytes;
          evict();
        },
        () => {
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      return entry.answer;
    },
    clear: () => {
      entries.clear();
      bytes = 0;
    },
  };
}
