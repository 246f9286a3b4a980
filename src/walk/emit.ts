// Turns what the walker found (a code, a channel, a place and args) into the plain Finding record.
import { effectOf, type FindingArgs, type FindingCode } from '../findings/codes.js';
import { hintFor, messageFor } from '../findings/messages.js';
import { atLeast, severityOf, type Severity } from '../findings/severity.js';
import { isFrozen, SafeMap } from '../realm/intrinsics.js';
import type { Channel, Finding, PathSegment } from '../types.js';

/**
 * Findings already made for frozen (shared) args, by args, then code, then channel, and the last
 * one made (a run of findings with the same args, code and channel skips the three lookups).
 */
export class SentenceCache {
  byArgs: SafeMap<FindingArgs, SafeMap<FindingCode, SafeMap<Channel, Finding>>> | undefined = undefined;
  lastArgs: FindingArgs | undefined = undefined;
  lastCode: FindingCode | undefined = undefined;
  lastChannel: Channel | undefined = undefined;
  last: Finding | undefined = undefined;
}

/** Past `maxFindings`: keeps, per channel bit, the most serious severity of what was not collected. */
export function notePastLimit(worst: Severity[], bit: number, code: FindingCode): void {
  const severity = severityOf(code);
  const seen = worst[bit];
  if (seen === undefined || atLeast(severity, seen)) worst[bit] = severity;
}

/**
 * Findings the caller's `ignore` list sets aside, kept apart as they are made, so that they never
 * count toward `maxFindings` (a send with many ignored findings ahead of a real one still fails)
 * nor make a channel lossy. At most `max` are kept; past that they are only counted.
 */
export class IgnoredFindings {
  readonly byBit: Finding[][] = [];
  count = 0;
  dropped = false;
  constructor(
    readonly isIgnored: (finding: Finding) => boolean,
    readonly max: number,
  ) {}

  /** Keeps `finding` when it is ignored and says so; false for a finding that stands. */
  take(finding: Finding, bit: number): boolean {
    if (!this.isIgnored(finding)) return false;
    if (this.count >= this.max) {
      this.dropped = true;
      return true;
    }
    this.count++;
    const list = (this.byBit[bit] ??= []);
    list[list.length] = finding;
    return true;
  }
}

export function makeFinding(code: FindingCode, channel: Channel, path: PathSegment[], at: string, args: FindingArgs, sentences: SentenceCache): Finding {
  let made: Finding | undefined;
  let byChannel: SafeMap<Channel, Finding> | undefined;
  if (args === sentences.lastArgs && code === sentences.lastCode && channel === sentences.lastChannel) {
    made = sentences.last;
  } else if (isFrozen(args)) {
    // Frozen args are shared by many findings (NaN, a Date, one class): make their sentences once.
    // (Keyed by code and channel in two maps: no key string is built per finding.)
    const byArgs = (sentences.byArgs ??= new SafeMap());
    let byCode = byArgs.get(args);
    if (!byCode) byArgs.set(args, (byCode = new SafeMap()));
    byChannel = byCode.get(code);
    if (!byChannel) byCode.set(code, (byChannel = new SafeMap()));
    made = byChannel.get(channel);
  }
  if (made) {
    return made.hint !== undefined
      ? { channel, effect: made.effect, severity: made.severity, code, path, at, message: made.message, hint: made.hint, args }
      : { channel, effect: made.effect, severity: made.severity, code, path, at, message: made.message, args };
  }
  const message = messageFor(code, args, channel);
  const hint = hintFor(code, args, channel);
  const effect = effectOf(code);
  const severity = severityOf(code);
  const finding: Finding =
    hint !== undefined ? { channel, effect, severity, code, path, at, message, hint, args } : { channel, effect, severity, code, path, at, message, args };
  if (byChannel) {
    byChannel.set(channel, finding);
    sentences.lastArgs = args;
    sentences.lastCode = code;
    sentences.lastChannel = channel;
    sentences.last = finding;
  }
  return finding;
}
