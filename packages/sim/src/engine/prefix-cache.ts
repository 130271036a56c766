/**
 * A worker's prefix cache: prompt blocks by chain hash. Blocks held by running requests are pinned;
 * unpinned blocks stay cached until the allocator evicts them, least recently used first.
 */
export class PrefixCache {
  private readonly refs = new Map<number, number>();
  /** Unpinned cached blocks in LRU order (first = oldest). */
  private readonly idle = new Map<number, true>();

  /** Blocks the cache holds (pinned or not). */
  get size(): number {
    return this.refs.size;
  }

  /** Blocks that can be evicted. */
  get evictable(): number {
    return this.idle.size;
  }

  /** Leading blocks of `hashes` that are cached. */
  match(hashes: readonly number[]): number {
    let n = 0;
    while (n < hashes.length && this.refs.has(hashes[n]!)) n++;
    return n;
  }

  /** How many of the first `n` blocks of `hashes` (already cached) are unpinned, so evictable. */
  idleAmong(hashes: readonly number[], n: number): number {
    let idle = 0;
    for (let i = 0; i < n; i++) if (this.idle.has(hashes[i]!)) idle++;
    return idle;
  }

  /** Pins the first `n` blocks of `hashes` (already cached) for a running request. */
  pin(hashes: readonly number[], n: number): void {
    for (let i = 0; i < n; i++) {
      const h = hashes[i]!;
      this.refs.set(h, (this.refs.get(h) ?? 0) + 1);
      this.idle.delete(h);
    }
  }

  /**
   * Releases a finished request's prompt blocks: the first `pinned` were pinned; the rest are
   * inserted. Returns how many new blocks the cache took over (they stay allocated).
   */
  release(hashes: readonly number[], pinned: number): number {
    let inserted = 0;
    for (let i = 0; i < hashes.length; i++) {
      const h = hashes[i]!;
      const r = this.refs.get(h);
      if (i < pinned && r !== undefined) {
        if (r <= 1) {
          this.refs.set(h, 0);
          this.idle.set(h, true);
        } else this.refs.set(h, r - 1);
      } else if (r === undefined) {
        this.refs.set(h, 0);
        this.idle.set(h, true);
        inserted++;
      }
    }
    return inserted;
  }

  /** Evicts up to `n` unpinned blocks; returns how many were freed. */
  evict(n: number): number {
    let freed = 0;
    for (const h of this.idle.keys()) {
      if (freed >= n) break;
      this.idle.delete(h);
      this.refs.delete(h);
      freed++;
    }
    return freed;
  }
}

/**
 * Chain hashes of the full blocks of a token sequence: block i's hash covers tokens [0, (i+1) x size).
 * @example blockHashes([1, 2, 3, 4], 2).length // 2
 */
export function blockHashes(tokens: ArrayLike<number>, blockSize: number): number[] {
  const out: number[] = [];
  let h = 2166136261;
  const full = Math.floor(tokens.length / blockSize) * blockSize;
  for (let i = 0; i < full; i++) {
    h = Math.imul(h ^ (tokens[i]! & 0xffffffff), 16777619) >>> 0;
    if ((i + 1) % blockSize === 0) out.push(h);
  }
  return out;
}
