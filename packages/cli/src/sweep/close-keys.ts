/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known keys close to a mistyped one, closest first: at most two edits away (one for keys of three
 * characters or fewer), or one key beginning with the other; case is ignored.
 * @example closeKeys("h2000", ["h100", "h200", "b200"]) // ["h200", "h100", "b200"]
 */
export function closeKeys(key: string, known: readonly string[], most = 3): string[] {
  const wanted = key.toLowerCase();
  const within = wanted.length <= 3 ? 1 : 2;
  return known
    .map((k) => {
      const candidate = k.toLowerCase();
      const prefix = candidate.startsWith(wanted) || wanted.startsWith(candidate);
      return { k, d: prefix ? 0 : distance(wanted, candidate) };
    })
    .filter((c) => c.d <= within)
    .sort((a, b) => a.d - b.d)
    .slice(0, most)
    .map((c) => c.k);
}
