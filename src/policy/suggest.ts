/**
 * The candidate closest to `name` (case-insensitive edit distance, at most a third of the longer
 * name, and at least 1), or `undefined` when none is close: for "did you mean ...?" messages.
 *
 * @example closest('chanels', ['channels', 'target']) // 'channels'
 */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const a = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const b = candidate.toLowerCase();
    if (a === b) return candidate;
    const d = distance(a, b);
    if (d < bestDistance && d <= Math.max(1, Math.floor(Math.max(a.length, b.length) / 3))) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `' (did you mean "channels"?)'` for a near miss, `''` otherwise. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const near = closest(name, candidates);
  return near === undefined ? '' : ` (did you mean ${JSON.stringify(near)}?)`;
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit. */
function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}
