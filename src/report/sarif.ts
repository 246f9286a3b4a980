import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FINDING_CODES, type FindingCode } from '../findings/codes.js';
import { codeInfo } from '../findings/messages.js';
import { severityOf } from '../findings/severity.js';
import { docsLink, packageJson, type PackageInfo } from './meta.js';
import type { Reporter, ReportRun, RunEnd } from './reporter.js';
import { loadErrorText, type Entry, type FileReport, type ReportSubject, type SubjectView } from './subject.js';

/** The SARIF version written, and the schema it follows. */
export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const DOCS = new URL('../../docs/codes.md', import.meta.url);

/** The anchor of a code's section in docs/codes.md, as GitHub makes it from ``### `CODE` ``. */
export function docsAnchor(code: string): string {
  return code.toLowerCase();
}

/** Where a code is documented: its section of docs/codes.md (see `docsLink`). */
export function docsUrl(code: string, pkg: PackageInfo): string {
  return docsLink(`docs/codes.md#${docsAnchor(code)}`, pkg);
}

/**
 * The first paragraph of each code's section in docs/codes.md, as one line (what a code-scanning
 * page shows as the rule's description).
 */
export function readCodeDescriptions(text?: string): Map<string, { short: string; full: string }> {
  const out = new Map<string, { short: string; full: string }>();
  let source = text;
  if (source === undefined) {
    try {
      source = readFileSync(DOCS, 'utf8');
    } catch {
      return out;
    }
  }
  const sections = source.split(/^### `([A-Z0-9_]+)`\s*$/m);
  for (let i = 1; i + 1 < sections.length; i += 2) {
    // The prose of the section: its paragraphs, without the effect line, code, lists and tables.
    const body = sections[i + 1]!.split(/^#{1,3} /m)[0]!.replace(/```[\s\S]*?```/g, '');
    const prose = body
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter((p) => p !== '' && p !== '---' && !p.startsWith('**Effect:**') && !p.startsWith('-') && !p.startsWith('|') && !p.startsWith('>'))
      .map((p) => p.replace(/\s*\n\s*/g, ' '));
    if (prose.length === 0) continue;
    let full = prose[0]!;
    for (const p of prose.slice(1)) {
      if (full.length + p.length > 1000) break;
      full += ` ${p}`;
    }
    out.set(sections[i]!, { short: prose[0]!, full });
  }
  return out;
}

function ruleName(code: string): string {
  return code
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function firstSentence(text: string): string {
  const m = /^(.+?[.:])(\s|$)/.exec(text);
  return m ? m[1]! : text;
}

type Level = 'error' | 'warning' | 'note';

function levelOf(e: Pick<Entry, 'failing' | 'severity'>): Level {
  return e.failing ? 'error' : e.severity === 'note' ? 'note' : 'warning';
}

/** One rule per code, in a fixed order so that `ruleIndex` is known before any result is written. */
export function sarifRules(pkg: PackageInfo): unknown[] {
  const descriptions = readCodeDescriptions();
  return FINDING_CODES.map((code: FindingCode) => {
    const info = codeInfo[code] as { effect: string; hint?: unknown };
    const description = descriptions.get(code) ?? { short: `${ruleName(code)}: see docs/codes.md.`, full: `${ruleName(code)}: see docs/codes.md.` };
    const severity = severityOf(code);
    return {
      id: code,
      name: ruleName(code),
      shortDescription: { text: firstSentence(description.short) },
      fullDescription: { text: description.full },
      helpUri: docsUrl(code, pkg),
      ...(typeof info.hint === 'string' ? { help: { text: info.hint } } : {}),
      defaultConfiguration: { level: severity === 'note' ? 'note' : severity === 'reshape' ? 'warning' : 'error' },
      properties: { severity, effect: info.effect, tags: [...new Set(['clonecheck', severity, info.effect])] },
    };
  });
}

/** A file's path as SARIF wants it: relative to the source root, with forward slashes. */
export function artifactUri(file: string, cwd: string): string {
  const rel = relative(cwd, file.startsWith('/') ? file : `${cwd}${sep}${file}`);
  return rel.split(sep).map(encodeURIComponent).join('/');
}

function location(s: Pick<ReportSubject, 'file' | 'line' | 'column' | 'name' | 'kind'>, cwd: string, at?: string): unknown {
  return {
    physicalLocation: {
      artifactLocation: { uri: artifactUri(s.file, cwd), uriBaseId: '%SRCROOT%' },
      ...(s.line !== undefined ? { region: { startLine: s.line, ...(s.column !== undefined ? { startColumn: s.column } : {}) } } : {}),
    },
    logicalLocations: [
      { name: s.name, fullyQualifiedName: at === undefined ? s.name : `${s.name}${at.slice(1)}`, kind: s.kind === 'export' ? 'variable' : 'expression' },
    ],
  };
}

const RULE_INDEX = new Map<string, number>(FINDING_CODES.map((c, i) => [c, i]));

/** The results of one file, each a JSON text (the caller joins them with commas). */
export function sarifResults(views: readonly SubjectView[], cwd: string): string[] {
  const out: string[] = [];
  for (const v of views) {
    const s = v.subject;
    const title = s.kind === 'export' ? `export ${s.obtained ?? s.name}` : `send ${s.name}`;
    for (const e of v.entries) {
      const paths = e.count > 1 ? ` (${e.count} paths: ${e.paths.join(', ')}${e.count > e.paths.length ? ', ...' : ''})` : '';
      const text = `${title}, ${e.at}${paths} on ${e.channels.join(', ')}: ${e.message}${e.hint !== undefined ? ` Hint: ${e.hint}` : ''}`;
      out.push(
        JSON.stringify({
          ruleId: e.code,
          ruleIndex: RULE_INDEX.get(e.code) ?? -1,
          level: levelOf(e),
          message: { text },
          locations: [location(s, cwd, e.at)],
          partialFingerprints: { clonecheck: `${s.file}:${s.name}:${e.code}:${e.at}` },
          properties: { severity: e.severity, effect: e.effect, channels: e.channels, count: e.count, path: e.at },
        }),
      );
    }
  }
  return out;
}

/** What is not a finding but must be said: files that could not be loaded, calls that threw. */
export function sarifNotifications(file: FileReport, views: readonly SubjectView[], cwd: string): unknown[] {
  const out: unknown[] = [];
  if (file.error !== undefined) {
    // A syntax error names its place, which may be a module the file imports.
    const at = file.errorAt;
    const physicalLocation = {
      artifactLocation: { uri: artifactUri(at?.file ?? file.file, cwd), uriBaseId: '%SRCROOT%' },
      ...(at !== undefined ? { region: { startLine: at.line, startColumn: at.column } } : {}),
    };
    out.push({ level: 'error', message: { text: loadErrorText(file) }, locations: [{ physicalLocation }] });
  }
  for (const v of views) {
    const s = v.subject;
    if (s.error !== undefined) out.push({ level: 'error', message: { text: `${s.name}: ${s.error}` }, locations: [location(s, cwd)] });
    if (v.omitted > 0)
      out.push({ level: 'warning', message: { text: `${s.name}: ${v.omitted} more entries were left out (--max-findings)` }, locations: [location(s, cwd)] });
  }
  return out;
}

export function sarifSourceRoot(cwd: string): string {
  const href = pathToFileURL(cwd).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** The log's `tool`: clonecheck, its version and one rule per code. */
function sarifTool(): unknown {
  const pkg = packageJson();
  return {
    driver: { name: 'clonecheck', version: pkg.version, semanticVersion: pkg.version, informationUri: docsLink('README.md', pkg), rules: sarifRules(pkg) },
  };
}

/**
 * One SARIF 2.1.0 log, written file by file: the results as the run reaches them, then the tool,
 * and the invocation with what is not a finding (files not loaded, exports not checked, problems
 * of the run) as notifications. A run that could not do all it was asked is not successful.
 */
export function sarifReporter(run: ReportRun): Reporter {
  const notifications: unknown[] = [];
  let first = true;
  return {
    start: () => `{"$schema":${JSON.stringify(SARIF_SCHEMA)},"version":${JSON.stringify(SARIF_VERSION)},"runs":[{"results":[`,
    file: (file, views) => {
      notifications.push(...sarifNotifications(file, views, run.cwd));
      const results = sarifResults(views, run.cwd);
      if (results.length === 0) return '';
      const text = `${first ? '\n' : ',\n'}${results.join(',\n')}`;
      first = false;
      return text;
    },
    end: (end: RunEnd) => {
      for (const problem of end.problems ?? []) notifications.push({ level: 'error', message: { text: problem } });
      const invocation = { executionSuccessful: end.complete, exitCode: end.exitCode, toolExecutionNotifications: notifications };
      const root = { '%SRCROOT%': { uri: sarifSourceRoot(run.cwd) } };
      return `\n],"tool":${JSON.stringify(sarifTool())},"invocations":[${JSON.stringify(invocation)}],"originalUriBaseIds":${JSON.stringify(root)},"columnKind":"utf16CodeUnits"}]}\n`;
    },
  };
}
