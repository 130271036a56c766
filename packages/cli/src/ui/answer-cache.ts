/** Options of `answerCache`. */
export interface AnswerCacheOptions {
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
}

/**
 * A cache of the list endpoints' answers. Concurrent requests for one key share one pending answer. The version
 * is read on every request, so a write by any process (another `infermark ingest`, a sweep, a second server on
 * the same database) is seen by the next request.
 * @example const cache = answerCache({ version: async () => "1" }); await cache.get("groups", make)
 */
export function answerCache(options: AnswerCacheOptions): AnswerCache {
  const entries = new Map<string, Entry>();
  return {
    async get(key, make) {
      const version = await options.version();
      const hit = entries.get(key);
      if (hit?.version === version) return hit.answer;
      const entry: Entry = { version, answer: make() };
      entries.set(key, entry);
      entry.answer.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return entry.answer;
    },
    clear: () => entries.clear(),
  };
}
