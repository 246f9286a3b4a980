// The check of one send: the policy's filters (channels, sample, once per site), the fast path,
// check() when the fast path cannot prove the value fine, then a CloneCheckError or a warning.
import { check } from '../check/index.js';
import { CloneCheckError } from '../errors.js';
import { fails } from '../policy/index.js';
import { ALL_CHANNELS, type Channel, type CheckResult, type Finding } from '../types.js';
import { FROZEN, FROZEN_FOUND, OVER_BUDGET, PROVEN, provenFine, UNSURE, type Proof } from './fast-path.js';
import type { Policy } from './options.js';
import { allPrinted, reportBug, siteReported, unknownChannelWarned, warn, warnUnknownChannel } from './report.js';
import type { Describe, Send } from './sends.js';
import { notTheUsers, siteOf, siteText, type Site } from './site.js';

/** Send sites (API and file:line:column) already checked, for `once: 'site'`. */
const checkedSites = new Set<string>();
/** Values in all that the fast path walks before check() takes over (it gives up on anything unusual first). */
const FAST_PATH_LIMIT = 10_000_000;
/** `once: 'site'`: a message this small is proven fine before the stack is read (a stack costs a few microseconds). */
const SMALL_MESSAGE = 64;

/** Forgets the checked sites (uninstall()). */
export function forgetCheckedSites(): void {
  checkedSites.clear();
}

/**
 * Checks one send under `policy` and throws a `CloneCheckError` when the policy says so. Anything
 * else that goes wrong (a bug in clonecheck, a getter on the options that throws) is reported once
 * and never breaks the send.
 */
export function guardSend(policy: Policy, describe: Describe, self: unknown, args: readonly unknown[], caller: Function, explicit: boolean): void {
  let error: CloneCheckError | undefined;
  try {
    error = judgeSend(policy, describe(self, args), caller, explicit);
  } catch (bug) {
    reportBug(bug, caller);
  }
  if (error !== undefined) {
    // Over an uncaught error Node prints the source line that threw, which would be this one; the
    // marker below tells Node to leave it out, so the output starts with the error, whose stack
    // starts at the user's send (Error.captureStackTrace in judgeFindings).
    throw error; // node-do-not-add-exception-line
  }
}

/** `[channel]` for each channel, made once. */
const CHANNEL_LIST = Object.fromEntries(ALL_CHANNELS.map((ch) => [ch, Object.freeze([ch])])) as unknown as Readonly<Record<Channel, readonly Channel[]>>;

function judgeSend(policy: Policy, send: Send | undefined, caller: Function, explicit: boolean): CloneCheckError | undefined {
  if (send === undefined) return undefined;
  const channel = send.channel;
  if (channel === undefined) {
    if (!unknownChannelWarned() && !notTheUsers(policy, siteOf(caller), explicit)) warnUnknownChannel(send.api, caller);
    return undefined;
  }
  if (!policy.channels.includes(channel)) return undefined;
  if (!send.always && policy.sample < 1 && Math.random() >= policy.sample) return undefined;
  // A transfer list is check()'s to read (what it detaches, what it needs).
  const plain = send.transferList === undefined || send.transferList.length === 0;
  let proof: Proof = plain ? OVER_BUDGET : UNSURE;
  let site: Site | undefined;
  if (policy.once && !send.always) {
    // A small message is cheaper to prove fine than its site is to read.
    if (plain) proof = provenFine(send.value, channel, send.root, SMALL_MESSAGE);
    if (proof === PROVEN) return undefined;
    site = siteOf(caller);
    if (notTheUsers(policy, site, explicit)) return undefined;
    const key = `${send.api}\0${site.key}`;
    if (checkedSites.has(key)) return undefined;
    checkedSites.add(key);
  }
  if (proof === OVER_BUDGET) proof = provenFine(send.value, channel, send.root, FAST_PATH_LIMIT);
  if (proof === PROVEN) return undefined;
  if (proof === FROZEN) {
    // check() would find an INTEGRITY_LOST at each frozen object and nothing else.
    const integrity = integrityRule(policy, channel);
    if (integrity === SILENT) return undefined;
    if (integrity === NOTED) {
      site ??= siteOf(caller);
      if (notTheUsers(policy, site, explicit) || allPrinted(site, channel, 'INTEGRITY_LOST', FROZEN_FOUND.at, FROZEN_FOUND.count)) return undefined;
    }
  }
  return judgeFindings(policy, send, channel, site, caller, explicit);
}

/** What the guard does with INTEGRITY_LOST under a policy: nothing, a warning once per site and path, or a failure. */
const SILENT = 0;
const NOTED = 1;
const FAILS = 2;
/** An INTEGRITY_LOST finding of each channel, made by check() the first time one is needed. */
const integrityFindings = new Map<Channel, Finding | undefined>();

function integrityRule(policy: Policy, channel: Channel): typeof SILENT | typeof NOTED | typeof FAILS {
  let finding = integrityFindings.get(channel);
  if (finding === undefined && !integrityFindings.has(channel)) {
    finding = check(Object.freeze({}), { channels: CHANNEL_LIST[channel] }).findings[0];
    if (finding?.code !== 'INTEGRITY_LOST') finding = undefined;
    integrityFindings.set(channel, finding);
  }
  if (finding === undefined) return FAILS; // never: check() has the last word then
  // An ignored code sets every such finding aside, whatever its path (a path pattern does not).
  if (policy.ignore !== undefined && policy.ignore.includes('INTEGRITY_LOST') && policy.isIgnored(finding)) return SILENT;
  if (fails(finding, policy.failOn)) return FAILS;
  return policy.notes ? NOTED : SILENT;
}

/** check() has the last word: what fails throws (throw mode) or prints, with what does not (notes). */
function judgeFindings(policy: Policy, send: Send, channel: Channel, site: Site | undefined, caller: Function, explicit: boolean): CloneCheckError | undefined {
  // Origins (where a function was defined, what it captures) cost a lookup per new function: the
  // guard asks for them only when it is about to throw or print (judge() again, below).
  const result = judge(send, channel, policy, false);
  if (result.internalError !== undefined) reportBug(result.internalError, caller);
  // check() sets ignored findings aside as it makes them, so they never fill maxFindings.
  const findings = result.findings;
  if (findings.length === 0) return undefined;
  const ignored = result.ignored.length;
  const failures: Finding[] = [];
  // A check clonecheck could not finish (its own bug, reported once above) never fails a send:
  // what it did find still does.
  for (const f of findings) if ((f.code as string) !== 'CHECK_INCOMPLETE' && fails(f, policy.failOn)) failures.push(f);
  if (failures.length === 0 && !policy.notes) return undefined;

  site ??= siteOf(caller);
  if (notTheUsers(policy, site, explicit)) return undefined;
  const title = `${send.api} on the ${channel} channel${result.truncated ? ` (only the first ${policy.maxFindings} findings)` : ''}`;
  if (policy.mode === 'throw' && failures.length > 0) {
    // The error lists what fails; what only reshapes is left to the warning that a passing send gets.
    const error = new CloneCheckError(withOrigins(failures, judge(send, channel, policy, true).findings), { title, site: siteText(site, caller), ignored });
    // The stack starts at the user's send, not inside the guard.
    Error.captureStackTrace(error, caller);
    return error;
  }
  const shown = policy.notes ? findings : failures;
  // A site prints once: its first warning is worth the origin lookups.
  warn(policy, { api: send.api, channel, site, title, caller }, siteReported(site) ? shown : withOrigins(shown, judge(send, channel, policy, true).findings));
  return undefined;
}

/** check() with the guard's policy for one send; `origins` adds where functions were defined. */
function judge(send: Send, channel: Channel, policy: Policy, origins: boolean): CheckResult {
  // One object shape for every send (no spread): check() reads it on each call.
  return check(send.value, {
    channels: CHANNEL_LIST[channel],
    root: send.root,
    transferList: send.transferList,
    maxFindings: policy.maxFindings,
    // The list compiled at install(): check() finds its matcher in compileIgnore's cache.
    ignore: policy.ignore,
    target: policy.target,
    origins,
  });
}

/** The same findings, taken from a check that looked up origins (same walk, same order). */
function withOrigins(findings: readonly Finding[], enriched: readonly Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const same = enriched.find((e) => e.channel === f.channel && e.code === f.code && e.at === f.at);
    out.push(same ?? f);
  }
  return out;
}
