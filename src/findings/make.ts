// Turns what the walker found (a code, a channel, a frame and args) into the plain Finding record.
import { pathOf, labelsOf, type Frame } from '../walk/frames.js';
import { isFrozen } from '../realm/intrinsics.js';
import type { Channel, Finding, PathSegment } from '../types.js';
import { effectOf, type FindingArgs, type FindingCode } from './codes.js';
import { hintFor, messageFor } from './messages.js';
import { formatPath } from './path.js';
import { severityOf } from './severity.js';

/** Findings already made for frozen (shared) args, by args, then code and channel. */
export type SentenceCache = Map<FindingArgs, Map<string, Finding>>;

export function makeFinding(code: FindingCode, channel: Channel, frame: Frame | null, key: PathSegment | undefined, label: string | undefined, args: FindingArgs, sentences: SentenceCache): Finding {
  const path = pathOf(frame, key);
  const at = formatPath(path, labelsOf(frame, key, label, path.length));
  // Frozen args are shared by many findings (NaN, a Date, one class): make their sentences once.
  const shared = isFrozen(args);
  const made = shared ? sentences.get(args)?.get(code + channel) : undefined;
  const message = made ? made.message : messageFor(code, args, channel);
  const hint = made ? made.hint : hintFor(code, args, channel);
  const effect = effectOf(code);
  const severity = severityOf(code);
  const finding: Finding =
    hint !== undefined
      ? { channel, effect, severity, code, path, at, message, hint, args }
      : { channel, effect, severity, code, path, at, message, args };
  if (shared && !made) {
    let byCode = sentences.get(args);
    if (!byCode) sentences.set(args, (byCode = new Map()));
    byCode.set(code + channel, finding);
  }
  return finding;
}
