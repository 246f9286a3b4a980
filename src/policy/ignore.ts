import { FINDING_CODES, type FindingCode } from '../findings/codes.js';
import { formatSegment, quote } from '../findings/path.js';
import type { Finding } from '../types.js';
import { SettingError } from './settings.js';
import { didYouMean } from './suggest.js';

/** True for a finding that an `ignore` list sets aside. */
export type IgnoreMatcher = (finding: Finding) => boolean;

/** What one `ignore` entry is, once read. */
export type IgnoreEntry =
  | { readonly kind: 'code'; readonly text: string; readonly code: FindingCode }
  | { readonly kind: 'path'; readonly text: string; readonly pattern: readonly string[] }
  | { readonly kind: 'class'; readonly text: string; readonly className: string };

const ANY = '*';
const DEEP = '**';
const IDENTIFIER = /^[A-Za-z_$][\w$]*/;
const INDEX = /^(?:0|[1-9]\d*)$/;
const CODES: ReadonlySet<string> = new Set(FINDING_CODES);

/** Matches nothing: what an absent or empty `ignore` list compiles to. */
export const IGNORE_NOTHING: IgnoreMatcher = () => false;

/**
 * Compiles an `ignore` list into a test of one finding. Each entry is one of:
 *
 * - a code: `'DATE_BECOMES_STRING'` ignores that code everywhere;
 * - a path pattern, starting with `$`: `'$.meta'` is that path only, `'$.meta.**'` is it and
 *   everything under it, `'$.items[*].cache'` takes any one step for `[*]` (or `.*`); steps are
 *   written as in a finding's `at` (`.name`, `["content-type"]`, `[0]`, `.get("k")`);
 * - a class: `'class:Customer'` ignores the findings about instances of `Customer` (a lost
 *   prototype, private fields, a `toJSON`, a lost subclass or Error type), not the data inside them
 *   (use a path pattern for that).
 *
 * A bad entry is a `SettingError` (a `TypeError`) that names it and, for a near miss, the code meant.
 * `where` names the list in that message (`'ignore'`, `'CLONECHECK_IGNORE'`, a config key).
 *
 * @example compileIgnore(['DATE_BECOMES_STRING', '$.meta.**', 'class:Customer'])(finding)
 */
export function compileIgnore(list: readonly string[] | undefined, where = 'ignore'): IgnoreMatcher {
  if (list === undefined || (Array.isArray(list) && list.length === 0)) return IGNORE_NOTHING;
  // The same list is often given again (a check per message, per test): compile it once.
  let key: string | undefined;
  if (Array.isArray(list) && list.every((entry) => typeof entry === 'string')) {
    key = JSON.stringify(list); // not join(): ['a\u0000b'] and ['a', 'b'] are different lists
    const cached = compiled.get(key);
    if (cached !== undefined) return cached;
  }
  const matcher = compileFresh(list, where);
  if (key !== undefined) {
    if (compiled.size >= 64) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, matcher);
  }
  return matcher;
}

const compiled = new Map<string, IgnoreMatcher>();

function compileFresh(list: readonly string[], where: string): IgnoreMatcher {
  const entries = readIgnore(list, where);
  if (entries.length === 0) return IGNORE_NOTHING;

  const codes = new Set<string>();
  const classes = new Set<string>();
  const patterns: (readonly string[])[] = [];
  for (const entry of entries) {
    if (entry.kind === 'code') codes.add(entry.code);
    else if (entry.kind === 'class') classes.add(entry.className);
    else patterns.push(entry.pattern);
  }
  // A path is met once per channel and often again under other codes: remember the answer.
  const seen = new Map<string, boolean>();
  const pathMatches = (at: string): boolean => {
    let hit = seen.get(at);
    if (hit === undefined) {
      const steps = parsePath(at, false);
      hit = typeof steps !== 'string' && patterns.some((p) => matchSteps(p, 0, steps, 0));
      if (seen.size >= 10_000) seen.clear();
      seen.set(at, hit);
    }
    return hit;
  };

  return (finding) => {
    if (codes.size > 0 && codes.has(finding.code)) return true;
    if (classes.size > 0) {
      const name = classOf(finding);
      if (name !== undefined && classes.has(name)) return true;
    }
    return patterns.length > 0 && pathMatches(finding.at);
  };
}

/**
 * Reads an `ignore` list without compiling it: each entry and its kind, or a `TypeError` naming the
 * first bad one. The CLI and the config loader use it to check a list where it is written.
 */
export function readIgnore(list: unknown, where = 'ignore'): IgnoreEntry[] {
  const fail = (what: string): never => {
    throw new SettingError(where, what);
  };
  if (!Array.isArray(list))
    fail(
      `expected an array of codes, path patterns ($.a.b) and class names (class:Name), got ${typeof list === 'string' ? JSON.stringify(list) : list === null ? 'null' : typeof list}`,
    );
  const entries: IgnoreEntry[] = [];
  for (const item of list as readonly unknown[]) {
    if (typeof item !== 'string') {
      fail(`each entry is a string (a code, a path pattern starting with $, or class:Name), got ${item === null ? 'null' : typeof item}`);
    }
    const text = (item as string).trim();
    if (text.startsWith('$')) {
      const pattern = parsePath(text, true);
      if (typeof pattern === 'string') fail(`the path pattern ${JSON.stringify(text)} is not valid: ${pattern}`);
      entries.push({ kind: 'path', text, pattern: pattern as string[] });
    } else if (text.startsWith('class:')) {
      const className = text.slice(6).trim();
      if (className === '') fail(`${JSON.stringify(text)} names no class; write class:Customer`);
      entries.push({ kind: 'class', text, className });
    } else if (CODES.has(text)) {
      entries.push({ kind: 'code', text, code: text as FindingCode });
    } else {
      const looksLikePath = /^[\w$]*[.[]/.test(text) && !/^[A-Z0-9_]+$/.test(text);
      fail(
        looksLikePath
          ? `${JSON.stringify(text)} is neither a code nor a path pattern; a path pattern starts with $ (e.g. "$.${text.replace(/^\./, '')}")`
          : `unknown code ${JSON.stringify(text)}${didYouMean(text.toUpperCase(), FINDING_CODES)}; a path pattern starts with $, a class is class:Name`,
      );
    }
  }
  return entries;
}

/** The class (or built-in type) a finding is about, when it names one. */
function classOf(finding: Finding): string | undefined {
  // Read loosely: each code has its own args, and only these three name a class or a type.
  const args = finding.args as { readonly className?: unknown; readonly from?: unknown; readonly type?: unknown };
  if (typeof args.className === 'string') return args.className;
  if (finding.code === 'ERROR_TYPE_CHANGED' && typeof args.from === 'string') return args.from;
  return typeof args.type === 'string' ? args.type : undefined;
}

/**
 * The steps of a path written as a finding's `at` (`$.a["b-c"][0].get("k")`), each in one canonical
 * spelling so that `["a"]` and `.a`, `[0]` and `["0"]` compare equal. With `wildcards`, `*` (one
 * step) and `**` (any number of steps, none included) are allowed as `.*`, `[*]`, `.**`, `[**]`.
 * Returns a sentence saying what is wrong instead, for a bad pattern.
 */
function parsePath(text: string, wildcards: boolean): string[] | string {
  if (!text.startsWith('$')) return 'it must start with $';
  const steps: string[] = [];
  let i = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      const rest = text.slice(i + 1);
      if (wildcards && rest.startsWith(DEEP)) {
        steps.push(DEEP);
        i += 3;
      } else if (wildcards && rest.startsWith(ANY)) {
        steps.push(ANY);
        i += 2;
      } else if (rest.startsWith('get(')) {
        const key = readMapKey(text, i + 5);
        if (typeof key === 'string') return key;
        steps.push(`.get(${key.key})`);
        i = key.end;
      } else if (/^(?:keys|values)\(\)\[\d+\]/.test(rest)) {
        const m = /^(?:keys|values)\(\)\[(\d+)\]/.exec(rest)!;
        steps.push(`.${m[0]}`);
        i += 1 + m[0].length;
      } else {
        const m = IDENTIFIER.exec(rest);
        if (m === null) return `after "." at position ${i + 1} comes a name, * or **; write other keys as ["key"]`;
        steps.push(keyStep(m[0]));
        i += 1 + m[0].length;
      }
    } else if (c === '[') {
      const rest = text.slice(i + 1);
      if (wildcards && rest.startsWith(`${DEEP}]`)) {
        steps.push(DEEP);
        i += 4;
      } else if (wildcards && rest.startsWith(`${ANY}]`)) {
        steps.push(ANY);
        i += 3;
      } else if (/^\d+\]/.test(rest)) {
        const digits = /^\d+/.exec(rest)![0];
        steps.push(`[${Number(digits)}]`);
        i += digits.length + 2;
      } else if (rest.startsWith('"') || rest.startsWith("'")) {
        const str = readString(text, i + 1);
        if (typeof str === 'string') return str;
        if (text[str.end] !== ']') return `missing ] after the key at position ${i + 1}`;
        steps.push(keyStep(str.value));
        i = str.end + 1;
      } else if (rest.startsWith('Symbol(')) {
        const close = text.indexOf(')]', i);
        if (close < 0) return `missing )] after Symbol( at position ${i + 1}`;
        steps.push(text.slice(i, close + 2));
        i = close + 2;
      } else {
        return `after "[" at position ${i + 1} comes an index, a quoted key${wildcards ? ', * or **' : ''}`;
      }
    } else {
      return `unexpected ${JSON.stringify(c)} at position ${i + 1}; steps start with . or [`;
    }
  }
  return steps;
}

/** The canonical step of a string key: `.name`, `["content-type"]`, or `[0]` for an index. */
function keyStep(key: string): string {
  return INDEX.test(key) && Number(key) < 2 ** 32 - 1 ? `[${key}]` : formatSegment(key);
}

/** A quoted string ('...' or "...") from `text[start]`: its value and the index after its quote. */
function readString(text: string, start: number): { value: string; end: number } | string {
  const q = text[start];
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === q) return { value, end: i + 1 };
    if (c !== '\\') {
      value += c;
      continue;
    }
    const e = text[++i];
    if (e === 'n') value += '\n';
    else if (e === 'r') value += '\r';
    else if (e === 't') value += '\t';
    else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) {
      value += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (e !== undefined) value += e;
  }
  return `unterminated string at position ${start + 1}`;
}

/** The key inside `.get(…)` in canonical spelling, and the index after the `)`. */
function readMapKey(text: string, start: number): { key: string; end: number } | string {
  if (text[start] === '"' || text[start] === "'") {
    const str = readString(text, start);
    if (typeof str === 'string') return str;
    if (text[str.end] !== ')') return `missing ) after the key at position ${start + 1}`;
    return { key: quote(str.value), end: str.end + 1 };
  }
  const close = text.indexOf(')', start);
  if (close < 0) return `missing ) after .get( at position ${start}`;
  const key = text.slice(start, close).trim();
  if (!/^(?:-?\d+(?:\.\d+)?(?:e[+-]?\d+)?n?|-0|true|false|null|undefined|NaN|-?Infinity)$/.test(key)) {
    return `.get(…) takes a quoted string, a number, a bigint, true, false, null or undefined, got ${JSON.stringify(key)}`;
  }
  return { key, end: close + 1 };
}

/** Glob match of pattern steps against path steps: `*` is one step, `**` any number. */
function matchSteps(pattern: readonly string[], p: number, steps: readonly string[], s: number): boolean {
  // Several ** would make the backtracking below cost a power of the path's depth: match those by
  // table instead, in time linear in the pattern times the path.
  let deep = 0;
  for (let i = p; i < pattern.length; i++) if (pattern[i] === DEEP) deep++;
  if (deep > 1) return matchByTable(pattern, p, steps, s);
  while (p < pattern.length) {
    const step = pattern[p]!;
    if (step === DEEP) {
      // Collapse runs of ** and try every split.
      while (p + 1 < pattern.length && pattern[p + 1] === DEEP) p++;
      if (p + 1 === pattern.length) return true;
      for (let k = s; k <= steps.length; k++) if (matchSteps(pattern, p + 1, steps, k)) return true;
      return false;
    }
    if (s >= steps.length) return false;
    if (step !== ANY && step !== steps[s]) return false;
    p++;
    s++;
  }
  return s === steps.length;
}

/** `matchSteps` for patterns with several `**`: can pattern[q..] match steps[t..], from the end back. */
function matchByTable(pattern: readonly string[], p: number, steps: readonly string[], s: number): boolean {
  const n = steps.length;
  let next = new Uint8Array(n + 2);
  next[n] = 1; // the empty rest of the pattern matches only the empty rest of the path
  for (let q = pattern.length - 1; q >= p; q--) {
    const row = new Uint8Array(n + 2);
    const step = pattern[q]!;
    for (let t = n; t >= s; t--) {
      if (step === DEEP) row[t] = next[t] || (t < n && row[t + 1]) ? 1 : 0;
      else row[t] = t < n && (step === ANY || step === steps[t]) && next[t + 1] ? 1 : 0;
    }
    next = row;
  }
  return next[s] === 1;
}
