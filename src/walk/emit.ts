// Turns what the walker found (a code, a channel, a frame and args) into the plain Finding record.
import { effectOf, type FindingArgs, type FindingCode } from '../findings/codes.js';
import { hintFor, messageFor } from '../findings/messages.js';
import { formatPath } from '../findings/path.js';
import { severityOf } from '../findings/severity.js';
import { isFrozen, SafeMap } from '../realm/intrinsics.js';
import type { Channel, Finding, PathSegment } from '../types.js';
import { pathOf, labelsOf, type Frame } from './frames.js';

/** Findings already made for frozen (shared) args, by args, then code, then channel. */
export type SentenceCache = Map<FindingArgs, Map<FindingCode, Map<Channel, Finding>>>;

export function makeFinding(
  code: FindingCode,
  channel: Channel,
  frame: Frame | null,
  key: PathSegment | undefined,
  label: string | undefined,
  args: FindingArgs,
  sentences: SentenceCache,
): Finding {
  const path = pathOf(frame, key);
  const at = formatPath(path, labelsOf(frame, key, label, path.length));
  // Frozen args are shared by many findings (NaN, a Date, one class): make their sentences once.
  // (Keyed by code and channel in two maps: no key string is built per finding.)
  const shared = isFrozen(args);
  let byChannel: Map<Channel, Finding> | undefined;
  if (shared) {
    let byCode = sentences.get(args);
    if (!byCode) sentences.set(args, (byCode = new SafeMap()));
    byChannel = byCode.get(code);
    if (!byChannel) byCode.set(code, (byChannel = new SafeMap()));
    const made = byChannel.get(channel);
    if (made) {
      return made.hint !== undefined
        ? { channel, effect: made.effect, severity: made.severity, code, path, at, message: made.message, hint: made.hint, args }
        : { channel, effect: made.effect, severity: made.severity, code, path, at, message: made.message, args };
    }
  }
  const message = messageFor(code, args, channel);
  const hint = hintFor(code, args, channel);
  const effect = effectOf(code);
  const severity = severityOf(code);
  const finding: Finding =
    hint !== undefined ? { channel, effect, severity, code, path, at, message, hint, args } : { channel, effect, severity, code, path, at, message, args };
  if (byChannel) byChannel.set(channel, finding);
  return finding;
}
