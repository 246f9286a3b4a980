/**
 * Paths as reports show them: the pattern of a rule over many elements (`$.jobs[*].onDone`), the
 * order entries are listed in, and long paths elided in the middle.
 */
import { formatSegment } from '../findings/path.js';
import type { PathSegment } from '../types.js';

/** Paths longer than this are elided in the middle. */
export const MAX_PATH_LENGTH = 100;

/**
 * The path with every array index and Map/Set entry read as `*` (`$.jobs[*].onDone`), or
 * `undefined` when it has none.
 */
export function patternOf(path: readonly PathSegment[]): string | undefined {
  let out = '$';
  let wild = false;
  for (const segment of path) {
    if (typeof segment === 'number') {
      out += '[*]';
      wild = true;
    } else if (typeof segment === 'object') {
      out += segment.kind === 'map-value' ? '.get(*)' : segment.kind === 'map-key' ? '.keys()[*]' : '.values()[*]';
      wild = true;
    } else {
      out += formatSegment(segment);
    }
    // A pattern is only for reading: past this it is elided anyway.
    if (out.length > MAX_PATH_LENGTH * 4) {
      out += '...';
      break;
    }
  }
  return wild ? out : undefined;
}

/** Path order: step by step, indices by number, keys in natural order, shorter first. */
export function comparePaths(a: readonly PathSegment[], b: readonly PathSegment[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareSegments(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function segmentRank(s: PathSegment): number {
  return typeof s === 'number' ? 0 : typeof s === 'string' ? 1 : typeof s === 'symbol' ? 2 : 3;
}

function compareSegments(a: PathSegment, b: PathSegment): number {
  const ra = segmentRank(a);
  const rb = segmentRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareKeys(a, b);
  if (typeof a === 'symbol' && typeof b === 'symbol') {
    const x = a.description ?? '';
    const y = b.description ?? '';
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'object' && typeof b === 'object') return a.index - b.index || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0);
  return 0;
}

/** Keys in natural order: runs of digits by number (`on2` before `on10`), the rest by code unit. */
export function compareKeys(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const x = a.match(re) ?? [];
  const y = b.match(re) ?? [];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p === q) continue;
    const pn = /^\d/.test(p);
    const qn = /^\d/.test(q);
    if (pn && qn) {
      const d = p.length - q.length || (p < q ? -1 : 1);
      // Same value with different zero padding ("01", "1"): fall through to code units.
      if (Number(p) !== Number(q)) return Number(p) - Number(q) || d;
    }
    return p < q ? -1 : 1;
  }
  return x.length - y.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * A long path with its middle left out, so that a finding 5,000 levels deep is one readable line:
 * `$.a.b.c … .y.z (5002 steps)`.
 */
export function elide(at: string, max: number = MAX_PATH_LENGTH): string {
  if (at.length <= max) return at;
  const keep = Math.floor((max - 5) / 2);
  return `${at.slice(0, keep)} ... ${at.slice(at.length - keep)}`;
}
