// Frames of the iterative walk: one per object visit, linked to its parent, so that a path is
// built only when a finding is made (one path stack, copied on emit).
import { formatPath, formatSegment } from '../findings/path.js';
import type { PathSegment } from '../types.js';

export interface Frame {
  readonly value: object;
  readonly parent: Frame | null;
  readonly key: PathSegment | undefined;
  readonly label: string | undefined;
  readonly depth: number;
  mask: number;
  /**
   * The first frame of this object, which records the channels that reached it and are inside it;
   * undefined until the frame is visited (then the walk leaves it when it comes back to it).
   */
  rec: Frame | undefined;
  seen: number;
  open: number;
  /** Where a record's object was first seen, printed once for all later paths to it. */
  again: { readonly firstSeen: string } | undefined;
  /** This frame's printed path once findings at or below it asked twice, '' once asked (printedPath()). */
  at: string | undefined;
}

export function frameOf(value: object, parent: Frame | null, key: PathSegment | undefined, label: string | undefined, depth: number, mask: number): Frame {
  return { value, parent, key, label, depth, mask, rec: undefined, seen: 0, open: 0, again: undefined, at: undefined };
}

/** The steps from the root to `key` in `frame`, built once at the right length. */
export function pathOf(frame: Frame | null, key: PathSegment | undefined): PathSegment[] {
  let n = key !== undefined ? 1 : 0;
  for (let f = frame; f !== null && f.key !== undefined; f = f.parent) n++;
  const path = new Array<PathSegment>(n);
  let i = n;
  if (key !== undefined) path[--i] = key;
  for (let f = frame; f !== null && f.key !== undefined; f = f.parent) path[--i] = f.key;
  return path;
}

/** The Map keys printed in `.get(...)` steps, or undefined when the path has none (the usual case). */
export function labelsOf(frame: Frame | null, key: PathSegment | undefined, label: string | undefined, n: number): (string | undefined)[] | undefined {
  let labels: (string | undefined)[] | undefined;
  let i = n;
  if (key !== undefined && --i >= 0 && label !== undefined) (labels ??= new Array(n))[i] = label;
  for (let f = frame; f !== null && f.key !== undefined; f = f.parent) {
    i--;
    if (f.label !== undefined) (labels ??= new Array(n))[i] = f.label;
  }
  return labels;
}

export function atOf(frame: Frame | null, key: PathSegment | undefined, label: string | undefined): string {
  const path = pathOf(frame, key);
  return formatPath(path, labelsOf(frame, key, label, path.length));
}

/**
 * The printed path of a frame, kept on the frame from the second time a finding at or below it
 * asks for it: siblings share the prefix. The first time only marks the frame ('' is never a path):
 * storing a fresh string in each of many old frames asked once costs more than printing again
 * (100,000 findings on 100,000 siblings: +20% CPU when every frame kept its path).
 */
export function printedPath(frame: Frame | null): string {
  if (frame === null || frame.key === undefined) return '$';
  if (frame.at) return frame.at;
  // Up to the nearest printed ancestor (or the root), then down, one segment per frame: a loop,
  // not recursion, so a path a million levels deep prints too.
  const todo: Frame[] = [];
  let base = '$';
  for (let f: Frame | null = frame; f !== null && f.key !== undefined; f = f.parent) {
    if (f.at) {
      base = f.at;
      break;
    }
    todo[todo.length] = f;
  }
  for (let i = todo.length - 1; i >= 0; i--) {
    const f = todo[i]!;
    base += formatSegment(f.key!, f.label);
    f.at = f.at === undefined ? '' : base;
  }
  return base;
}

/** The printed path of a finding at `key` in `frame` (`frame`'s path, then `key`). */
export function printedAt(frame: Frame | null, key: PathSegment | undefined, label: string | undefined): string {
  return key === undefined ? printedPath(frame) : printedPath(frame) + formatSegment(key, label);
}
