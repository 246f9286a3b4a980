import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check } from '../src/check/index.js';
import { effectOf, FINDING_CODES } from '../src/findings/codes.js';
import { SEVERITY_OF_CODE } from '../src/findings/severity.js';
import { applyPolicy, compileIgnore, failing, readFailOn, readIgnore, resolveFailOn, SettingError, severityOf } from '../src/policy/index.js';
import type { Finding } from '../src/types.js';

const finding = (over: Partial<Finding>): Finding =>
  ({
    channel: 'fork',
    effect: 'changed',
    severity: severityOf(over.code ?? 'DATE_BECOMES_STRING'),
    code: 'DATE_BECOMES_STRING',
    path: [],
    at: '$',
    message: '',
    args: {},
    ...over,
  }) as Finding;

describe('severity', () => {
  it('gives every code a severity of its own, none by the fallback', () => {
    expect(Object.keys(SEVERITY_OF_CODE).sort()).toEqual([...FINDING_CODES].sort());
  });

  it('keeps throw for what throws and note for notes, and never calls a drop a reshape', () => {
    for (const code of FINDING_CODES) {
      const effect = effectOf(code);
      const severity = severityOf(code);
      if (effect === 'throws') expect([code, severity]).toEqual([code, 'throw']);
      if (effect === 'note') expect([code, severity]).toEqual([code, 'note']);
      if (severity === 'throw') expect([code, effect]).toEqual([code, 'throws']);
      if (effect === 'dropped') expect([code, severity]).toEqual([code, 'loss']);
    }
  });

  it('is stated for every code in docs/codes.md, as severityOf gives it', () => {
    const doc = readFileSync(new URL('../docs/codes.md', import.meta.url), 'utf8');
    const stated = new Map([...doc.matchAll(/^### `([A-Z0-9_]+)`\n\n\*\*Effect:\*\* `[a-z]+` · \*\*Severity:\*\* `([a-z]+)`/gm)].map((m) => [m[1]!, m[2]!]));
    const wrong = FINDING_CODES.filter((code) => stated.get(code) !== severityOf(code)).map((code) => `${code}: ${stated.get(code)} in the doc`);
    expect(wrong).toEqual([]);
  });

  it('fails throw and loss by default, reshape only in strict mode, notes never', () => {
    const frozen = check(Object.freeze({ a: 1 }), { channels: ['worker'] }).findings;
    expect(frozen.map((f) => f.code)).toEqual(['INTEGRITY_LOST']);
    expect(failing(frozen)).toEqual([]);
    expect(failing(frozen, 'reshape')).toHaveLength(1);
    const map = check({ m: new Map([[1, 2]]) }, { channels: ['fork'] }).findings;
    expect(failing(map).map((f) => f.code)).toEqual(['MAP_BECOMES_OBJECT']);
    expect(failing(map, 'throw')).toEqual([]);
    const shared = check(new SharedArrayBuffer(8), { channels: ['worker'] }).findings;
    expect(shared.map((f) => f.code)).toEqual(['SHARED_MEMORY']);
    expect(failing(shared, 'reshape')).toEqual([]);
    expect(failing(shared, 'note')).toHaveLength(1);
  });

  it('still reads the older list of effects', () => {
    const frozen = check(Object.freeze({ a: 1 }), { channels: ['worker'] }).findings;
    expect(failing(frozen, ['throws', 'dropped', 'changed'])).toHaveLength(1);
    expect(failing(frozen, ['throws'])).toEqual([]);
  });

  it('reads fail levels and strict, naming what is wrong', () => {
    expect(readFailOn('reshape')).toBe('reshape');
    expect(readFailOn(undefined)).toBeUndefined();
    expect(() => readFailOn('changed')).toThrow(/unknown fail level "changed".*'throw', 'loss', 'reshape', 'note'.*severity levels replaced effects/);
    expect(() => readFailOn([])).toThrow(/empty list/);
    expect(() => readFailOn(3)).toThrow(/got number/);
    expect(resolveFailOn(undefined, undefined)).toBe('loss');
    expect(resolveFailOn(undefined, true)).toBe('reshape');
    expect(resolveFailOn('throw', false)).toBe('throw');
    expect(() => resolveFailOn('throw', true)).toThrow(/strict: true means failOn: 'reshape'/);
    expect(() => resolveFailOn(undefined, 'yes')).toThrow(/strict must be true or false/);
  });
});

describe('SettingError', () => {
  const caught = (run: () => unknown): SettingError => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(SettingError);
      return error as SettingError;
    }
    throw new Error('expected a SettingError');
  };

  it('is a TypeError that keeps the setting and the problem apart, for callers that frame them their own way', () => {
    const level = caught(() => readFailOn('lots', 'CLONECHECK_FAIL_ON'));
    expect(level).toBeInstanceOf(TypeError);
    expect(level.name).toBe('TypeError');
    expect(level).toMatchObject({ where: 'CLONECHECK_FAIL_ON', problem: "unknown fail level \"lots\"; use one of 'throw', 'loss', 'reshape', 'note'" });
    expect(level.message).toBe(`clonecheck: ${level.text}`);
    expect(level.text).toBe(`CLONECHECK_FAIL_ON: ${level.problem}`);
    const entry = caught(() => readIgnore(['$.a-b'], '--ignore'));
    expect(entry.message).toMatch(/^clonecheck: --ignore: the path pattern "\$\.a-b" is not valid: /);
    // strict names itself: nothing holds it but the options.
    const strict = caught(() => resolveFailOn(undefined, 'yes'));
    expect(strict).toMatchObject({
      where: undefined,
      problem: 'strict must be true or false, got "yes"',
      message: 'clonecheck: strict must be true or false, got "yes"',
    });
    expect(caught(() => resolveFailOn('lots', undefined, 'guard')).where).toBe('guard.failOn');
  });
});

describe('compileIgnore', () => {
  it('ignores by code', () => {
    const ignore = compileIgnore(['DATE_BECOMES_STRING']);
    expect(ignore(finding({}))).toBe(true);
    expect(ignore(finding({ code: 'MAP_BECOMES_OBJECT' }))).toBe(false);
  });

  it('ignores by path pattern: exact, one step, any depth', () => {
    const at = (text: string) => finding({ at: text });
    const meta = compileIgnore(['$.meta.**']);
    expect(meta(at('$.meta'))).toBe(true);
    expect(meta(at('$.meta.a["b-c"][3].get("k")'))).toBe(true);
    expect(meta(at('$.metadata'))).toBe(false);
    expect(meta(at('$'))).toBe(false);

    const cache = compileIgnore(['$.items[*].cache']);
    expect(cache(at('$.items[0].cache'))).toBe(true);
    expect(cache(at('$.items[12].cache'))).toBe(true);
    expect(cache(at('$.items[0].cache.x'))).toBe(false);
    expect(cache(at('$.items.cache'))).toBe(false);

    const spelled = compileIgnore(["$['content-type']", '$["a"][0]', '$.list["1"]', "$.m.get('k')", '$.**.secret']);
    expect(spelled(at('$["content-type"]'))).toBe(true);
    expect(spelled(at('$.a[0]'))).toBe(true);
    expect(spelled(at('$.list[1]'))).toBe(true);
    expect(spelled(at('$.m.get("k")'))).toBe(true);
    expect(spelled(at('$.secret'))).toBe(true);
    expect(spelled(at('$.x.y[2].secret'))).toBe(true);
    expect(spelled(at('$.secrets'))).toBe(false);
  });

  it('matches the paths check() writes, Map entries and symbols included', () => {
    const sym = Symbol('tag');
    const value = { cache: new Map([['k', new Date(0)]]), when: new Date(0), [sym]: 1, 'odd key': { f() {} } };
    const findings = check(value, { channels: ['fork'] }).findings;
    const ats = findings.map((f) => f.at);
    expect(ats).toEqual(expect.arrayContaining(['$.cache', '$.when', '$[Symbol(tag)]', '$["odd key"].f']));
    for (const f of findings) {
      expect(compileIgnore([f.at])(f)).toBe(true);
    }
    expect(applyPolicy(findings, { ignore: ['$.cache.**', '$[Symbol(tag)]', '$["odd key"].*'] }).findings.map((f) => f.at)).toEqual(['$.when']);
  });

  it('ignores by class: what happens to the instance, not the data inside it', () => {
    class Customer {
      since = new Date(0);
      greet() {}
    }
    const findings = check({ c: new Customer() }, { channels: ['worker', 'fork'] }).findings;
    const { findings: kept, ignored } = applyPolicy(findings, { ignore: ['class:Customer'] });
    expect(ignored.map((f) => f.code)).toEqual(['PROTOTYPE_LOST', 'PROTOTYPE_LOST']);
    expect(kept.map((f) => `${f.channel} ${f.code} ${f.at}`)).toEqual(['fork DATE_BECOMES_STRING $.c.since']);
    class BadThing extends Error {}
    const errors = check({ e: new BadThing('x') }, { channels: ['worker'] }).findings;
    expect(errors.map((f) => f.code)).toContain('ERROR_TYPE_CHANGED');
    expect(applyPolicy(errors, { ignore: ['class:BadThing'] }).findings.map((f) => f.code)).not.toContain('ERROR_TYPE_CHANGED');
  });

  it('class: also names a built-in or host type a finding is about', () => {
    const findings = check({ link: new URL('https://example.org'), when: new Date(0) }, { channels: ['worker', 'fork'] }).findings;
    const kept = applyPolicy(findings, { ignore: ['class:URL'] }).findings;
    expect(findings.some((f) => f.at === '$.link')).toBe(true);
    expect(kept.filter((f) => f.at === '$.link')).toEqual([]);
    expect(kept.map((f) => f.at)).toContain('$.when');
  });

  it('compiles a list once and gives the same matcher for the same list', () => {
    expect(compileIgnore(['$.a.**', 'DATE_BECOMES_STRING'])).toBe(compileIgnore(['$.a.**', 'DATE_BECOMES_STRING']));
    expect(compileIgnore([])).toBe(compileIgnore(undefined));
  });

  it('rejects bad entries with the reason and the code meant', () => {
    expect(() => compileIgnore(['DATE_BECOME_STRING'])).toThrow(/unknown code "DATE_BECOME_STRING" \(did you mean "DATE_BECOMES_STRING"\?\)/);
    expect(() => compileIgnore(['date_becomes_string'])).toThrow(/did you mean "DATE_BECOMES_STRING"/);
    expect(() => compileIgnore(['meta.**'])).toThrow(/a path pattern starts with \$ \(e.g. "\$.meta.\*\*"\)/);
    expect(() => compileIgnore(['$.a-b'])).toThrow(/not valid: unexpected "-"/);
    expect(() => compileIgnore(['$.["x'])).toThrow(/not valid/);
    expect(() => compileIgnore(['class:'])).toThrow(/names no class/);
    expect(() => compileIgnore([42 as unknown as string])).toThrow(/each entry is a string/);
    expect(() => compileIgnore('DATE_BECOMES_STRING' as unknown as string[], 'CLONECHECK_IGNORE')).toThrow(/^clonecheck: CLONECHECK_IGNORE: expected an array/);
    expect(readIgnore(['MAP_BECOMES_OBJECT', '$.a', 'class:A']).map((e) => e.kind)).toEqual(['code', 'path', 'class']);
  });

  it('counts what it sets aside', () => {
    const findings = check({ a: new Date(0), b: new Date(1), c: new Map() }, { channels: ['fork'] }).findings;
    const verdict = applyPolicy(findings, { ignore: ['DATE_BECOMES_STRING'] });
    expect(verdict.ignored).toHaveLength(2);
    expect(verdict.findings.map((f) => f.code)).toEqual(['MAP_BECOMES_OBJECT']);
    expect(verdict.failures.map((f) => f.code)).toEqual(['MAP_BECOMES_OBJECT']);
  });
});

describe('docs/config.md', () => {
  const page = readFileSync(new URL('../docs/config.md', import.meta.url), 'utf8');

  it('gives the severity of every code, as the table in the code has it, once each', () => {
    const rows = [...page.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| `(throw|loss|reshape|note)` \| (.+) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(Object.fromEntries(rows)).toEqual(SEVERITY_OF_CODE);
    expect(rows).toHaveLength(FINDING_CODES.length);
  });
});

describe('path patterns with several **', () => {
  // A finding at a path made of these keys, judged by the compiled pattern and by a regular expression.
  const finding = (keys: readonly string[]): Finding =>
    ({
      channel: 'worker',
      effect: 'changed',
      severity: 'loss',
      code: 'DATE_BECOMES_STRING',
      path: keys,
      at: `$${keys.map((k) => `.${k}`).join('')}`,
      message: '',
      args: {},
    }) as Finding;
  const regexOf = (steps: readonly string[]): RegExp =>
    new RegExp(`^${steps.map((s) => (s === '**' ? '(?:\\.[a-z]+)*' : s === '*' ? '\\.[a-z]+' : `\\.${s}`)).join('')}$`);

  it('match exactly what the same pattern as a regular expression matches', () => {
    const alphabet = ['a', 'b', 'next'];
    let seed = 7;
    const pick = <T>(xs: readonly T[]): T => xs[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % xs.length]!;
    for (let n = 0; n < 400; n++) {
      const pattern = Array.from({ length: 2 + (n % 5) }, () => pick([...alphabet, '*', '**', '**']));
      const keys = Array.from({ length: n % 9 }, () => pick(alphabet));
      const ignore = compileIgnore([`$.${pattern.join('.')}`]);
      const at = `$${keys.map((k) => `.${k}`).join('')}`;
      expect(ignore(finding(keys)), `${pattern.join('.')} on ${at}`).toBe(regexOf(pattern).test(at.slice(1)));
    }
  });

  it('stay linear on a deep path', () => {
    const keys = Array.from({ length: 3000 }, () => 'next');
    const started = performance.now();
    expect(compileIgnore(['$.**.next.**.next.**.zzz'])(finding(keys))).toBe(false);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
