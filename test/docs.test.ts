import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { check } from '../src/check.js';
import { codeInfo, FINDING_CODES } from '../src/codes.js';
import { CHANNELS, EFFECTS, type Channel, type CheckResult, type Effect } from '../src/types.js';

// docs/codes.md documents every finding code under a heading of exactly this form: ### `CODE`.
// These tests keep the page and src/codes.ts in step, and run each section's example.

const CODES_DOC = readFileSync(new URL('../docs/codes.md', import.meta.url), 'utf8');

const CODE_HEADING = /^### `([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)`$/;
/** Something in a heading that looks like a code: a backticked word or an UPPER_SNAKE identifier. */
const LOOKS_LIKE_CODE = /`|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/;
const EFFECT_LINE = /^\*\*Effect:\*\* `([a-z-]+)`/;

interface Section {
  readonly code: string;
  /** 1-based line of the heading. */
  readonly line: number;
  /** The `## ` heading the section sits under. */
  readonly group: string;
  /** The lines after the heading, up to the next heading of level 1 to 3. */
  readonly body: string[];
}

interface Audit {
  readonly sections: Section[];
  readonly problems: string[];
}

/** Reads the page and lists every way it disagrees with `info`. An empty list means the page is in step. */
function auditCodesDoc(markdown: string, info: Readonly<Record<string, { readonly effect: Effect }>>): Audit {
  const problems: string[] = [];
  const sections: Section[] = [];
  const lines = markdown.split('\n');
  let group = '';
  let fenced = false;
  let current: { code: string; line: number; group: string; body: string[] } | undefined;
  const close = (): void => {
    if (current) sections.push(current);
    current = undefined;
  };

  lines.forEach((text, i) => {
    if (/^\s*(```|~~~)/.test(text)) fenced = !fenced;
    if (fenced || !/^#{1,3} /.test(text)) {
      current?.body.push(text);
      return;
    }
    close();
    const line = i + 1;
    if (/^#{1,2} /.test(text)) {
      group = text;
      return;
    }
    const m = CODE_HEADING.exec(text);
    const inEffectGroup = EFFECTS.some((e) => group.startsWith(`## \`${e}\``));
    if (!m) {
      if (inEffectGroup || LOOKS_LIKE_CODE.test(text)) problems.push(`line ${line}: heading is not of the form ### \`CODE\`: ${text}`);
      return;
    }
    const code = m[1]!;
    if (!Object.hasOwn(info, code)) problems.push(`line ${line}: heading for unknown code ${code}`);
    current = { code, line, group, body: [] };
  });
  close();

  for (const code of Object.keys(info)) {
    const count = sections.filter((s) => s.code === code).length;
    if (count !== 1) problems.push(`${code}: ${count === 0 ? 'no heading' : `${count} headings`}, expected exactly one`);
  }

  for (const s of sections) {
    const expected = Object.hasOwn(info, s.code) ? info[s.code]!.effect : undefined;
    if (!expected) continue;
    const named = s.body.flatMap((l) => EFFECT_LINE.exec(l)?.[1] ?? []);
    if (named.length !== 1 || named[0] !== expected) {
      problems.push(`${s.code} (line ${s.line}): its section names effect ${named.length ? named.join(', ') : 'none'}, codeInfo says ${expected}`);
    }
    if (!s.group.startsWith(`## \`${expected}\``)) {
      problems.push(`${s.code} (line ${s.line}): listed under "${s.group}", but its effect is ${expected}`);
    }
    const channels = documentedChannels(s);
    if (channels.length === 0) problems.push(`${s.code} (line ${s.line}): no **Channels:** line naming a channel`);
    for (const ch of channels) if (!(CHANNELS as readonly string[]).includes(ch)) problems.push(`${s.code} (line ${s.line}): unknown channel ${ch}`);
  }
  return { sections, problems };
}

/** The channel ids a section's `**Channels:**` line names. */
function documentedChannels(s: Section): string[] {
  const line = s.body.find((l) => l.includes('**Channels:**'));
  if (!line) return [];
  const after = line.slice(line.indexOf('**Channels:**'));
  return [...after.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

/** The first ```js block of a section. */
function firstExample(s: Section): string | undefined {
  const start = s.body.findIndex((l) => l.trim() === '```js');
  if (start < 0) return undefined;
  const end = s.body.findIndex((l, i) => i > start && l.trim() === '```');
  return end < 0 ? undefined : s.body.slice(start + 1, end).join('\n');
}

/** Runs an example as a script (in a block, so its declarations stay local) and returns its last value. */
function runExample(source: string): CheckResult {
  const g = globalThis as Record<string, unknown>;
  const saved = { check: g.check, require: g.require };
  g.check = check;
  g.require = createRequire(import.meta.url);
  try {
    return vm.runInThisContext(`{\n${source}\n}`, { filename: 'docs/codes.md example' }) as CheckResult;
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete g[k];
      else g[k] = v;
    }
  }
}

const audit = auditCodesDoc(CODES_DOC, codeInfo);

describe('docs/codes.md', () => {
  it('is in step with codeInfo: one ### `CODE` heading per code, no unknown code, the right effect', () => {
    expect(audit.problems).toEqual([]);
  });

  for (const code of FINDING_CODES) {
    it(`documents ${code} once, as ${codeInfo[code].effect}`, () => {
      const found = audit.sections.filter((s) => s.code === code);
      expect(found).toHaveLength(1);
      expect(found[0]!.body.join('\n')).toContain(`**Effect:** \`${codeInfo[code].effect}\``);
    });
  }

  it('has no heading for a code that src/codes.ts does not define', () => {
    const unknown = audit.sections.map((s) => s.code).filter((c) => !(FINDING_CODES as readonly string[]).includes(c));
    expect(unknown).toEqual([]);
  });
});

describe('docs/codes.md examples', () => {
  for (const s of audit.sections) {
    it(`${s.code}: the example makes check() report it, on documented channels only`, () => {
      const source = firstExample(s);
      expect(source, `${s.code} has no \`\`\`js example`).toBeDefined();
      const result = runExample(source!);
      const channels = [...new Set(result.findings.filter((f) => f.code === s.code).map((f) => f.channel))];
      expect(channels.length, `the example of ${s.code} does not produce it`).toBeGreaterThan(0);
      const documented = documentedChannels(s);
      expect(channels.filter((ch: Channel) => !documented.includes(ch)), `${s.code} fires on channels its section does not list`).toEqual([]);
    });
  }
});

describe('the audit fails on a page that is out of step', () => {
  const section = (code: string): string => {
    const start = CODES_DOC.indexOf(`### \`${code}\`\n`);
    const end = CODES_DOC.indexOf('\n### ', start + 1);
    return CODES_DOC.slice(start, end + 1);
  };
  const problems = (markdown: string): string[] => auditCodesDoc(markdown, codeInfo).problems;

  it('a missing heading', () => {
    expect(problems(CODES_DOC.replace(section('SYMBOL_NOT_CLONEABLE'), ''))).toContain('SYMBOL_NOT_CLONEABLE: no heading, expected exactly one');
  });

  it('a duplicate heading', () => {
    const twice = CODES_DOC.replace(section('UNDEFINED_DROPPED'), section('UNDEFINED_DROPPED').repeat(2));
    expect(problems(twice)).toContain('UNDEFINED_DROPPED: 2 headings, expected exactly one');
  });

  it('a heading for an unknown code', () => {
    const extra = CODES_DOC.replace('### `FUNCTION_DROPPED`', '### `FUNCTION_VANISHED`\n\n**Effect:** `dropped` · **Channels:** `fork`\n\n### `FUNCTION_DROPPED`');
    expect(problems(extra).some((p) => p.includes('unknown code FUNCTION_VANISHED'))).toBe(true);
  });

  it('a heading that is not exactly ### `CODE`', () => {
    const loose = CODES_DOC.replace('### `TOJSON_CALLED`', '### TOJSON_CALLED');
    const found = problems(loose);
    expect(found.some((p) => p.includes('not of the form'))).toBe(true);
    expect(found).toContain('TOJSON_CALLED: no heading, expected exactly one');
  });

  it('a section that names another effect', () => {
    const wrong = CODES_DOC.replace(section('SHARED_MEMORY'), section('SHARED_MEMORY').replace('**Effect:** `note`', '**Effect:** `changed`'));
    expect(problems(wrong).some((p) => p.startsWith('SHARED_MEMORY ') && p.includes('names effect changed, codeInfo says note'))).toBe(true);
  });

  it('a section under the wrong effect group', () => {
    const moved = CODES_DOC.replace(section('MAP_BECOMES_OBJECT'), '').replace('## Limits\n', `## Limits\n\n${section('MAP_BECOMES_OBJECT')}`);
    expect(problems(moved).some((p) => p.startsWith('MAP_BECOMES_OBJECT') && p.includes('listed under "## Limits"'))).toBe(true);
    const underNote = CODES_DOC.replace(section('MAP_BECOMES_OBJECT'), '').replace('## Limits', `${section('MAP_BECOMES_OBJECT')}\n## Limits`);
    expect(problems(underNote).some((p) => p.startsWith('MAP_BECOMES_OBJECT') && p.includes('but its effect is changed'))).toBe(true);
  });

  it('a code that codeInfo gains but the page lacks', () => {
    const more = { ...codeInfo, NEW_RULE: { effect: 'note' as Effect } };
    expect(auditCodesDoc(CODES_DOC, more).problems).toContain('NEW_RULE: no heading, expected exactly one');
  });
});
