// What the guard prints: each distinct problem once per send site, as a CloneCheckWarning written
// at once (a send that then throws can end the process before a deferred warning would print).
import { fails } from '../policy/index.js';
import { formatReport } from '../report/index.js';
import type { FindingCode } from '../findings/codes.js';
import type { Channel, Finding } from '../types.js';
import type { Policy } from './options.js';
import { siteText, type Site } from './site.js';

/** The problems printed (or passed over once the site had printed its most), per site key. */
const reported = new Map<string, Set<string>>();
/** How many problems `reported` holds in all. */
let reportedCount = 0;
const reportedPerSite = new Map<string, number>();
let unknownChannelReported = false;
let bugWarned = false;
/** Distinct problems printed per send site before the rest is summed up in one line. */
const MAX_PER_SITE = 25;
/** Distinct problems remembered in all, so that a long run cannot grow the set without bound. */
const MAX_REPORTED = 10_000;

/** Forgets what was printed (uninstall()). */
export function forgetReported(): void {
  reported.clear();
  reportedCount = 0;
  reportedPerSite.clear();
}

/** True once a warning was printed for this site: its later warnings skip the origin lookups. */
export function siteReported(site: Site): boolean {
  return reportedPerSite.has(site.key);
}

/** What a distinct problem is at its site: a channel, a code and a path. */
function problemKey(channel: Channel, code: FindingCode, at: string): string {
  return `${channel}\0${code}\0${at}`;
}

/**
 * True when warn() would print none of `count` findings of `code` on `channel` from this site,
 * whose paths are `ats` (all of them, or the call says false): each was printed before, or the site
 * or the run has printed all it prints.
 */
export function allPrinted(site: Site, channel: Channel, code: FindingCode, ats: readonly string[], count: number): boolean {
  if ((reportedPerSite.get(site.key) ?? 0) >= MAX_PER_SITE || reportedCount >= MAX_REPORTED) return true;
  const done = reported.get(site.key);
  if (done === undefined || count > ats.length) return false;
  for (let i = 0; i < count; i++) if (!done.has(problemKey(channel, code, ats[i]!))) return false;
  return true;
}

/** What one warning says: the send, its channel and title, and where it was made. */
export interface WarningOf {
  readonly api: string;
  readonly channel: Channel;
  readonly site: Site;
  readonly title: string;
  readonly caller: Function;
}

/** Prints the findings of one send not printed before for its site, at most MAX_PER_SITE per site. */
export function warn(policy: Policy, send: WarningOf, findings: readonly Finding[]): void {
  const { site } = send;
  const printed = reportedPerSite.get(site.key) ?? 0;
  if (printed >= MAX_PER_SITE) return;
  let fresh: Finding[] = [];
  let done = reported.get(site.key);
  if (done === undefined) reported.set(site.key, (done = new Set()));
  for (const f of findings) {
    const key = problemKey(f.channel, f.code, f.at);
    if (done.has(key) || reportedCount >= MAX_REPORTED) continue;
    done.add(key);
    reportedCount++;
    fresh.push(f);
  }
  if (fresh.length === 0) return;
  const where = siteText(site, send.caller);
  const room = MAX_PER_SITE - printed;
  let detail = '';
  if (fresh.length >= room) {
    fresh = fresh.slice(0, room);
    detail = `\n${MAX_PER_SITE} problems from this site have been printed; later ones are not.`;
  }
  reportedPerSite.set(site.key, printed + fresh.length);
  const problems = fresh.filter((f) => fails(f, policy.failOn)).length;
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const what = problems > 0 ? count(problems, 'problem') : `${count(fresh.length, 'finding')} that do${fresh.length === 1 ? 'es' : ''} not fail`;
  const head = `${send.title}, sent from ${where}: ${what} (each is printed once)`;
  detail = formatReport(fresh, { color: false }) + detail;
  if (policy.onWarning !== undefined) {
    try {
      policy.onWarning({ api: send.api, channel: send.channel, site: where, findings: fresh, text: `${head}\n${detail}` });
    } catch {
      // A failing logger must not break the send either.
    }
  } else {
    emitNow(head, detail, send.caller);
  }
}

/** True once the unknown IPC channel was reported (it is reported once). */
export function unknownChannelWarned(): boolean {
  return unknownChannelReported;
}

export function warnUnknownChannel(api: string, caller: Function): void {
  if (unknownChannelReported) return;
  unknownChannelReported = true;
  emitNow(`clonecheck cannot tell how this process's IPC channel serializes (json or advanced), so ${api} is not checked.`, undefined, caller);
}

export function reportBug(bug: unknown, caller: Function): void {
  if (bugWarned) return;
  bugWarned = true;
  emitNow(
    `clonecheck guard: a send could not be checked and went ahead unchecked (only the first such failure is reported): ${String(bug)}`,
    undefined,
    caller,
  );
}

/**
 * A CloneCheckWarning, delivered now: the warning `process.emitWarning(message, { type, detail })`
 * makes, emitted as 'warning' at once rather than on the next tick, so that Node's own handler has
 * printed it (to stderr, or to --redirect-warnings) before the send runs. A send the guard lets go
 * ahead in warn mode may throw (a function in a postMessage) and end the process, which would drop a
 * warning still waiting for its tick. Listeners see the same object; a throwing one does not break
 * the send.
 */
function emitNow(message: string, detail: string | undefined, caller: Function): void {
  try {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const warning: Error & { detail?: string } = new Error(message);
    Error.stackTraceLimit = limit;
    warning.name = 'CloneCheckWarning';
    if (detail !== undefined) warning.detail = detail;
    Error.captureStackTrace(warning, caller);
    process.emit('warning', warning);
  } catch {
    // nothing left to do
  }
}
