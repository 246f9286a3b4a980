import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { consumerProject, type Consumer } from './consumers/project.js';
import { check } from '../src/check/index.js';
import { FINDING_CODES } from '../src/findings/codes.js';
import { codeInfo } from '../src/findings/messages.js';
import { ALL_CHANNELS, EFFECTS, type Channel, type CheckOptions, type CheckResult, type Effect } from '../src/types.js';

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
    for (const ch of channels) if (!(ALL_CHANNELS as readonly string[]).includes(ch)) problems.push(`${s.code} (line ${s.line}): unknown channel ${ch}`);
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

/**
 * Runs an example as a script (in a block, so its declarations stay local) and returns its last value.
 * The page describes Node 20 first and says in words what changes later (ERROR_CAUSE_CYCLE,
 * POOLED_BUFFER_NOT_TRANSFERRED): its examples are checked with Node 20's rules unless they name a
 * target, whichever line runs the test.
 */
function runExample(source: string): CheckResult {
  const g = globalThis as Record<string, unknown>;
  const saved = { check: g.check, require: g.require };
  g.check = (value: unknown, options: CheckOptions = {}) => check(value, { target: 'node20', ...options });
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
    // A code no value should produce (CHECK_INCOMPLETE, a bug in clonecheck) says so instead of an example.
    if (s.body.some((l) => l.startsWith('**Example:** none'))) continue;
    it(`${s.code}: the example makes check() report it, on documented channels only`, () => {
      const source = firstExample(s);
      expect(source, `${s.code} has no \`\`\`js example`).toBeDefined();
      const result = runExample(source!);
      const channels = [...new Set(result.findings.filter((f) => f.code === s.code).map((f) => f.channel))];
      expect(channels.length, `the example of ${s.code} does not produce it`).toBeGreaterThan(0);
      const documented = documentedChannels(s);
      expect(
        channels.filter((ch: Channel) => !documented.includes(ch)),
        `${s.code} fires on channels its section does not list`,
      ).toEqual([]);
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
    const extra = CODES_DOC.replace(
      '### `FUNCTION_DROPPED`',
      '### `FUNCTION_VANISHED`\n\n**Effect:** `dropped` · **Channels:** `fork`\n\n### `FUNCTION_DROPPED`',
    );
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

// ---------------------------------------------------------------------------------------------
// Every command and output block of README.md and docs/*.md is run, and its output compared.
//
// How a page marks its blocks (the marker is an HTML comment on the line before the fence):
//
//   ```console              each `$ ` line is a command, run with bash; the lines after it, up to the
//   $ npx clonecheck a.mjs  next `$ ` line, are its output (stdout and stderr together). A line `...`
//   export job ...          stands for any number of lines. The directory the command runs in is
//   ```                     shown as /app in the output. As in an npm script, the installed
//                           commands (node_modules/.bin: clonecheck) are on the PATH.
//
//   ```sh                   without `$ ` lines: each line is a command that must succeed (or exit
//   npx clonecheck a.mjs    as the marker says); its output is not compared
//   ```
//
//   <!-- doc-test: exit=1 -->            the commands of the next block exit with 1 (default 0)
//   <!-- doc-test: cwd=repo -->          run in this repository (contributor steps); by default they
//                                        run in a fresh project with the packed package installed
//   <!-- doc-test: file=app.mjs -->      the next block is written to that file, for later commands
//   <!-- doc-test: same-as=examples/job.mjs -->  the next block is that repository file, in full
//   <!-- doc-test: run -->               the next ```js / ```cjs block runs with node, as example.mjs
//                                        (example.cjs); a ```text block right after it is its output
//   <!-- doc-test: ci -->                commands CI runs (.ci/run): checked against it, not run here
//
// CLONECHECK_UPDATE_DOCS=1 npx vitest run test/docs.test.ts rewrites each output block that no longer
// matches with what its command printed (check the diff, and put back any `...` you want).
//
// `npm i -D clonecheck` installs the packed tarball into an empty project. A ```text block (output)
// that none of these covers fails the audit: no command or output goes unchecked. An untagged block
// is a figure (a diagram, a synopsis) and is not run.
// ---------------------------------------------------------------------------------------------

interface DocBlock {
  readonly doc: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly text: string;
  readonly marker: Readonly<Record<string, string>> | undefined;
}

/** Blocks that hold commands or output. An untagged block is a figure (a diagram, a synopsis). */
const SHELLISH = new Set(['sh', 'bash', 'shell', 'console', 'text', 'shell-session', 'sh-session']);
const SHELL = new Set(['sh', 'bash', 'shell']);

/** The fenced blocks of a page, with the doc-test marker before each, if any. */
function docBlocks(doc: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+|~~~+)\s*([\w-]*)/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    let end = i + 1;
    while (end < lines.length && !lines[end]!.trim().startsWith(fence)) end++;
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    const m = before >= 0 ? /^<!--\s*doc-test:\s*(.*?)\s*-->$/.exec(lines[before]!.trim()) : null;
    const marker = m
      ? Object.fromEntries(
          m[1]!
            .split(/\s+/)
            .filter(Boolean)
            .map((t) => (t.includes('=') ? [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)] : [t, 'true'])),
        )
      : undefined;
    const indent = open[1]!.length;
    blocks.push({
      doc,
      line: i + 1,
      lang: open[3]!,
      text: lines
        .slice(i + 1, end)
        .map((l) => l.slice(indent))
        .join('\n'),
      marker,
    });
    i = end;
  }
  return blocks;
}

type Step =
  | { readonly kind: 'commands'; readonly block: DocBlock; readonly commands: { readonly command: string; readonly output: string[] }[] }
  | { readonly kind: 'file' | 'same-as' | 'ci'; readonly block: DocBlock }
  | { readonly kind: 'run'; readonly block: DocBlock; readonly output: DocBlock | undefined };

/** What the harness does with each block of a page, and the blocks it cannot check. */
function planDoc(blocks: readonly DocBlock[]): { steps: Step[]; unchecked: DocBlock[] } {
  const steps: Step[] = [];
  const unchecked: DocBlock[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const marker = block.marker ?? {};
    if (marker.file) steps.push({ kind: 'file', block });
    else if (marker['same-as']) steps.push({ kind: 'same-as', block });
    else if (marker.ci) steps.push({ kind: 'ci', block });
    else if (marker.run) {
      const next = blocks[i + 1];
      const output = next && next.lang === 'text' && !next.marker ? next : undefined;
      steps.push({ kind: 'run', block, output });
      if (output) i++;
    } else if (SHELL.has(block.lang) && !block.text.split('\n').some((l) => l.startsWith('$ '))) {
      // Commands without `$ `: each line runs (a trailing `# comment` is bash's), output not compared.
      const commands = block.text
        .split('\n')
        .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
        .map((command) => ({ command, output: ['...'] }));
      steps.push({ kind: 'commands', block, commands });
    } else if (block.lang === 'console' || block.text.split('\n').some((l) => l.startsWith('$ '))) {
      const commands: { command: string; output: string[] }[] = [];
      for (const l of block.text.split('\n')) {
        if (l.startsWith('$ ')) commands.push({ command: l.slice(2), output: [] });
        else if (commands.length > 0) commands.at(-1)!.output.push(l);
        else if (l.trim() !== '') unchecked.push(block);
      }
      steps.push({ kind: 'commands', block, commands });
    } else if (SHELLISH.has(block.lang)) unchecked.push(block);
  }
  return { steps, unchecked };
}

/** Whether `actual` matches `expected`, where an `...` line stands for any number of lines. */
function matchLines(expected: readonly string[], actual: readonly string[]): boolean {
  const memo = new Map<string, boolean>();
  const go = (e: number, a: number): boolean => {
    const key = `${e},${a}`;
    if (memo.has(key)) return memo.get(key)!;
    let ok: boolean;
    if (e === expected.length) ok = a === actual.length;
    else if (expected[e]!.trim() === '...') ok = go(e + 1, a) || (a < actual.length && go(e, a + 1));
    else ok = a < actual.length && expected[e] === actual[a] && go(e + 1, a + 1);
    memo.set(key, ok);
    return ok;
  };
  return go(0, 0);
}

const normalize = (text: string, cwd: string): string[] => {
  const lines = text
    .replaceAll(cwd, '/app')
    .split('\n')
    .map((l) => l.trimEnd());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
};

/** The relative links of a page (`[text](path)`, anchors aside) whose file does not exist. */
function brokenLinks(doc: string, markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!.split('#')[0]!)
    .filter((target) => target !== '' && !/^[a-z]+:/.test(target))
    .filter((target) => !existsSync(join(REPO_ROOT, dirname(doc), target)));
}

const DOCS = [
  'README.md',
  ...readdirSync(new URL('../docs/', import.meta.url))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const UPDATE_DOCS = process.env.CLONECHECK_UPDATE_DOCS === '1';
const plans = DOCS.map((doc) => ({ doc, ...planDoc(docBlocks(doc, readFileSync(join(REPO_ROOT, doc), 'utf8'))) }));

describe('the docs harness', () => {
  it('reads commands, outputs and markers', () => {
    const page = ['<!-- doc-test: exit=1 cwd=repo -->', '```console', '$ echo a', 'a', '...', '$ true', '```', '', '```text', 'free text', '```'].join('\n');
    const { steps, unchecked } = planDoc(docBlocks('x.md', page));
    expect(steps).toHaveLength(1);
    expect(steps[0]!.block.marker).toEqual({ exit: '1', cwd: 'repo' });
    expect(steps[0]!.kind === 'commands' && steps[0]!.commands).toEqual([
      { command: 'echo a', output: ['a', '...'] },
      { command: 'true', output: [] },
    ]);
    expect(unchecked.map((b) => b.line)).toEqual([9]);
    const sh = planDoc(
      docBlocks('y.md', ['```sh', 'npx clonecheck a.mjs   # one file', '# a comment', 'npx clonecheck b.mjs', '```', '```', 'a figure', '```'].join('\n')),
    );
    expect(sh.unchecked).toEqual([]);
    expect(sh.steps[0]!.kind === 'commands' && sh.steps[0]!.commands.map((c) => c.command)).toEqual([
      'npx clonecheck a.mjs   # one file',
      'npx clonecheck b.mjs',
    ]);
  });

  it('matches `...` against any number of lines, and nothing else loosely', () => {
    expect(matchLines(['a', '...', 'z'], ['a', 'b', 'c', 'z'])).toBe(true);
    expect(matchLines(['a', '...', 'z'], ['a', 'z'])).toBe(true);
    expect(matchLines(['a', '...'], ['a'])).toBe(true);
    expect(matchLines(['a', 'z'], ['a', 'b', 'z'])).toBe(false);
    expect(matchLines(['a', '...', 'z'], ['a', 'b'])).toBe(false);
    expect(matchLines(['a'], ['a '])).toBe(false);
  });
});

describe('every command and output block of README.md and docs/ is checked', () => {
  it.each(plans.map((p) => [p.doc, p.unchecked] as const))('%s has no block that is neither run nor compared', (doc, unchecked) => {
    expect(unchecked.map((b) => `${doc}:${b.line} \`\`\`${b.lang}: ${b.text.split('\n')[0]}`)).toEqual([]);
  });

  it.each(DOCS)('%s links only to files that exist', (doc) => {
    expect(brokenLinks(doc, readFileSync(join(REPO_ROOT, doc), 'utf8'))).toEqual([]);
  });

  it('the link check finds a broken link', () => {
    expect(brokenLinks('docs/x.md', '[a](cli.md) [b](missing.md#top) [c](https://example.com) [d](#here) [e](../LICENSE)')).toEqual(['missing.md']);
  });

  it.each(DOCS)('%s does not cite a file outside the project', (doc) => {
    const text = readFileSync(join(REPO_ROOT, doc), 'utf8');
    expect(text.split('\n').filter((l) => /\bSPEC(\.md)?\b|\.\.\/shared\//.test(l))).toEqual([]);
  });
});

describe.each(plans.filter((p) => p.steps.length > 0))('$doc: its commands, run', ({ doc, steps }) => {
  let consumer: Consumer;
  beforeAll(() => {
    consumer = consumerProject();
  }, 120_000);
  const env = {
    ...process.env,
    NO_COLOR: '1',
    FORCE_COLOR: undefined,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const cwdOf = (block: DocBlock): string => (block.marker?.cwd === 'repo' ? REPO_ROOT : consumer.dir);
  /** CLONECHECK_UPDATE_DOCS=1: an output block that does not match is rewritten with what the command printed. */
  const updates = new Map<number, string>();
  afterAll(() => {
    if (!UPDATE_DOCS || updates.size === 0) return;
    const lines = readFileSync(join(REPO_ROOT, doc), 'utf8').split('\n');
    for (const [line, text] of [...updates].sort((a, b) => b[0] - a[0])) {
      const fence = lines[line - 1]!.trim().match(/^(`{3,}|~{3,})/)![1]!;
      let end = line;
      while (!lines[end]!.trim().startsWith(fence)) end++;
      lines.splice(line, end - line, ...(text === '' ? [] : text.split('\n')));
    }
    writeFileSync(join(REPO_ROOT, doc), lines.join('\n'));
  });

  for (const step of steps) {
    const { block } = step;
    const name = `line ${block.line}: ${step.kind === 'commands' ? step.commands.map((c) => `$ ${c.command}`).join('; ') : `${step.kind} ${JSON.stringify(block.marker)}`}`;
    it(name, () => {
      const cwd = cwdOf(block);
      switch (step.kind) {
        case 'file':
          mkdirSync(dirname(join(cwd, block.marker!.file!)), { recursive: true });
          writeFileSync(join(cwd, block.marker!.file!), `${block.text}\n`);
          return;
        case 'same-as':
          expect(`${block.text}\n`, `${doc}:${block.line} differs from ${block.marker!['same-as']}`).toBe(
            readFileSync(join(REPO_ROOT, block.marker!['same-as']!), 'utf8'),
          );
          return;
        case 'ci': {
          const ci = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8')
            .split('\n')
            .map((l) => l.trim());
          for (const command of block.text
            .split('\n')
            .map((l) =>
              l
                .replace(/^\$ /, '')
                .replace(/\s+#.*$/, '')
                .trim(),
            )
            .filter(Boolean)) {
            expect(ci.includes(command) || (command === 'npm install' && ci.includes('npm ci')), `${doc}:${block.line}: .ci/run does not run ${command}`).toBe(
              true,
            );
          }
          return;
        }
        case 'run': {
          const ext = block.lang === 'cjs' ? '.cjs' : '.mjs';
          const file = join(cwd, `example${ext}`); // a stable name: outputs may name the file
          writeFileSync(file, `${block.text}\n`);
          const r = spawnSync(process.execPath, [file], { cwd, encoding: 'utf8', env });
          const exit = Number(block.marker!.exit ?? 0);
          expect(r.status, `${doc}:${block.line} exit status; output:\n${r.stdout}${r.stderr}`).toBe(exit);
          if (step.output) {
            const actual = normalize(r.stdout + r.stderr, cwd);
            const expected = normalize(step.output.text, cwd);
            if (matchLines(expected, actual)) return;
            if (UPDATE_DOCS) updates.set(step.output.line, actual.join('\n'));
            else expect(actual.join('\n'), `${doc}:${step.output.line}`).toBe(expected.join('\n'));
          }
          return;
        }
        case 'commands': {
          const rewritten: string[] = [];
          let stale = false;
          for (const { command, output } of step.commands) {
            rewritten.push(`$ ${command}`, ...output);
            let run = command;
            let where = cwd;
            if (/^npm (i|install) (-D|--save-dev) clonecheck$/.test(command) && block.marker?.cwd !== 'repo') {
              where = mkdtempSync(join(tmpdir(), 'clonecheck-install-'));
              writeFileSync(join(where, 'package.json'), '{ "name": "fresh", "version": "1.0.0", "private": true }\n');
              run = `npm i -D --prefer-offline ${consumer.tarball}`;
            }
            // As in an npm script: the project's installed commands (clonecheck) are on the PATH.
            const path = `${join(where, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`;
            const r = spawnSync('bash', ['-c', `{ ${run}\n} 2>&1`], { cwd: where, encoding: 'utf8', env: { ...env, PATH: path } });
            const exit = Number(block.marker?.exit ?? 0);
            expect(r.status, `${doc}:${block.line}: $ ${command}\n${r.stdout}`).toBe(exit);
            if (where !== cwd) {
              expect(existsSync(join(where, 'node_modules', 'clonecheck', 'package.json'))).toBe(true);
              rmSync(where, { recursive: true, force: true });
              continue;
            }
            const actual = normalize(r.stdout, cwd);
            const expected = normalize(output.join('\n'), cwd);
            if (matchLines(expected, actual)) continue;
            if (!UPDATE_DOCS) expect(actual.join('\n'), `${doc}:${block.line}: $ ${command}`).toBe(expected.join('\n'));
            rewritten.splice(rewritten.length - output.length, output.length, ...actual);
            stale = true;
          }
          if (stale && block.lang === 'console') updates.set(block.line, rewritten.join('\n'));
          return;
        }
      }
    });
  }
});
