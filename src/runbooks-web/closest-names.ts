/** Levenshtein distance, case-insensitive (alert names differ mostly in case and typos). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[t.length]!;
}

/**
 * Up to `max` known names close to `wanted`: within a third of its length in edits, or
 * containing it (so "Filesystem" finds NodeFilesystemSpaceLow), closest first.
 * @example closestNames('NodeDwn', ['NodeDown', 'ServiceDown']) // ['NodeDown']
 */
export function closestNames(wanted: string, known: readonly string[], max = 5): string[] {
  if (wanted.length === 0) return [];
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  const w = wanted.toLowerCase();
  return known
    .map((name) => ({
      name,
      d: name.toLowerCase().includes(w) && w.length >= 4 ? 0.5 : editDistance(wanted, name),
    }))
    .filter((c) => c.d <= limit)
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((c) => c.name);
}
