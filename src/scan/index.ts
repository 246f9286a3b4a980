import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type * as TS from 'typescript';
import { effectOf } from '../findings/codes.js';
import { hintFor, messageFor } from '../findings/messages.js';
import { severityOf } from '../findings/severity.js';
import { formatPath, formatSegment } from '../findings/path.js';
import { compileIgnore } from '../policy/ignore.js';
import { channelsProblem, targetProblem } from '../policy/settings.js';
import type { ReportSubject } from '../report/subject.js';
import { DEFAULT_TARGET, type Channel, type Finding, type PathSegment, type Target } from '../types.js';
import { ANY_KEY, judgeType } from './judge.js';
import { SiteFinder, type SendSite } from './sites.js';
import { loadTypeScript, majorOf, ScanError, type TypeScript } from './typescript.js';

export { ScanError } from './typescript.js';

export interface ScanOptions {
  /**
   * Files and folders whose send sites to report (the whole project is still read, for types).
   * @default every source file of the project
   * @example scan({ paths: ['src/jobs'] })
   */
  readonly paths?: readonly string[] | undefined;
  /**
   * The `tsconfig.json` (or its folder) that says what the project is.
   * @default the nearest tsconfig.json from the first path (or the working directory) upwards
   */
  readonly project?: string | undefined;
  /**
   * Report only these channels. Each send site is judged for the channels it crosses; this narrows them.
   * @default every channel a site crosses
   */
  readonly channels?: readonly Channel[] | undefined;
  /**
   * Whose rules to apply: a Node.js line.
   * @default the line of the Node.js that runs the scan
   */
  readonly target?: string | undefined;
  /** Findings to set aside, as `check()`'s `ignore`: codes, `$` path patterns, `class:Name`. */
  readonly ignore?: readonly string[] | undefined;
  /**
   * Where relative paths start, and what `file` in each subject is relative to.
   * @default process.cwd()
   */
  readonly cwd?: string | undefined;
}

export interface ScanResult {
  /**
   * One subject per send site, by file path, then in source order. Where the type says too little
   * (`any`, `unknown`, `object`), `note` says so and `data.unknowable` lists those paths.
   */
  readonly subjects: ReportSubject[];
  /** The files whose send sites were looked for, relative to `cwd`. */
  readonly files: string[];
  /** The tsconfig.json that was read, relative to `cwd`, if any. */
  readonly project?: string;
  readonly target: Target;
}

/**
 * Finds every send site of a TypeScript (or JavaScript) project and judges the type of what each one
 * sends, with the rules and codes of `check()`. Reads the code with the TypeScript compiler; never
 * runs it.
 *
 * @example
 * const { subjects } = await scan({ paths: ['src'] });
 * for (const s of subjects) console.log(`${s.file}:${s.line}:${s.column}`, s.name, s.findings.length);
 */
export async function scan(options: ScanOptions = {}): Promise<ScanResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  // The rules check() and install() read these by, framed for scan().
  const problem =
    (options.target === undefined ? undefined : targetProblem(options.target)) ??
    (options.channels && channelsProblem(options.channels, 'channels', 'allowed'));
  if (problem) throw new TypeError(`clonecheck: scan(): ${problem}`);
  const target = (options.target ?? DEFAULT_TARGET) as Target;
  const ignored = compileIgnore(options.ignore);
  const paths = (options.paths ?? []).map((p) => resolve(cwd, p));
  for (const p of paths) if (!existsSync(p)) throw new ScanError(`clonecheck scan: ${relative(cwd, p) || p} does not exist.`);

  const configFile = findProject(options.project ? resolve(cwd, options.project) : undefined, paths[0] ?? cwd);
  const ts = await loadTypeScript(configFile ? dirname(configFile) : cwd);
  const program = createProgram(ts, configFile, paths, cwd);
  requireNodeTypes(program, configFile, cwd);
  const checker = program.getTypeChecker();
  const finder = new SiteFinder(ts, checker, program, cwd);

  const files = program
    .getSourceFiles()
    .filter((f) => !f.isDeclarationFile && !f.fileName.includes('/node_modules/'))
    .filter((f) => paths.length === 0 || paths.some((p) => isUnder(resolve(f.fileName), p)))
    .sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));

  const subjects: ReportSubject[] = [];
  for (const file of files) {
    const inFile = [...tagErrors(finder, file, cwd)];
    for (const site of finder.sitesOf(file)) inFile.push(...judgeOrReport(ts, checker, site, options.channels, target, ignored, cwd));
    // In source order: a tag that cannot be read among the sites.
    inFile.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    subjects.push(...inFile);
  }
  return {
    subjects,
    files: files.map((f) => displayPath(cwd, f.fileName)),
    ...(configFile ? { project: displayPath(cwd, configFile) } : {}),
    target,
  };
}

const NODE_SEND_MODULE = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)['"](?:node:)?(worker_threads|child_process|cluster|v8)['"]/;

/**
 * Node's sends are found by their declarations in @types/node. A project that imports a Node module
 * that sends but has no such declarations would scan as "0 send sites": an error says so instead,
 * and says whether they are missing or installed but left out by the tsconfig's `types`.
 */
function requireNodeTypes(program: TS.Program, configFile: string | undefined, cwd: string): void {
  const sources = program.getSourceFiles();
  if (sources.some((f) => f.isDeclarationFile && /[\\/]@types[\\/]node[\\/]/.test(f.fileName))) return;
  for (const f of sources) {
    if (f.isDeclarationFile || f.fileName.includes('/node_modules/')) continue;
    const m = NODE_SEND_MODULE.exec(f.text);
    if (!m) continue;
    const installed = nodeTypesFrom(configFile ? dirname(configFile) : cwd);
    if (installed && configFile) {
      throw new ScanError(
        `clonecheck scan: ${displayPath(cwd, f.fileName)} imports ${m[1]}, and Node's type declarations are installed (${displayPath(cwd, installed)}), but ${displayPath(cwd, configFile)} leaves them out, so its sends cannot be recognised. Add "node" to its compilerOptions.types: "types": ["node"]`,
      );
    }
    throw new ScanError(
      `clonecheck scan: ${displayPath(cwd, f.fileName)} imports ${m[1]}, but Node's type declarations are not installed, so its sends cannot be recognised. Install them in the project: npm install --save-dev @types/node`,
    );
  }
}

/** The folder of @types/node where TypeScript looks for it (node_modules/@types of the folder or one above), if it is installed. */
function nodeTypesFrom(dir: string): string | undefined {
  for (;;) {
    const found = join(dir, 'node_modules', '@types', 'node');
    if (existsSync(join(found, 'package.json'))) return found;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * TypeScript 6 includes no @types package unless the tsconfig's `types` names it (TypeScript 5
 * included every one it could see). A tsconfig that says nothing of `types` read by TypeScript 6
 * would leave out Node's declarations, by which the scan knows Node's sends: when they are
 * installed, the scan adds "node" to `types`, as TypeScript 5 read the same tsconfig. A `types` the
 * tsconfig writes is kept as written.
 */
function withNodeTypes(ts: TypeScript, options: TS.CompilerOptions, dir: string): TS.CompilerOptions {
  if (options.types !== undefined || majorOf(ts) < 6 || !nodeTypesFrom(dir)) return options;
  return { ...options, types: ['node'] };
}

/** A @clonecheck tag that cannot be read checks nothing: an error at the tag, not silence. */
function tagErrors(finder: SiteFinder, file: TS.SourceFile, cwd: string): ReportSubject[] {
  return finder.tags.problemsOf(file.fileName).map((problem) => ({
    kind: 'send-site' as const,
    name: `${problem.api} @clonecheck`,
    file: displayPath(cwd, problem.file),
    line: problem.line,
    column: problem.column,
    channels: [],
    findings: [],
    ignored: [],
    error: problem.error,
  }));
}

/** A site's subject, or none when its channels are not asked for; a type the judge cannot read is this site's error, never the whole scan's. */
function judgeOrReport(...args: Parameters<typeof judgeSite>): ReportSubject[] {
  const site = args[2];
  try {
    const subject = judgeSite(...args);
    return subject ? [subject] : [];
  } catch (error) {
    return [
      {
        kind: 'send-site',
        name: site.api,
        file: displayPath(args[6], site.file),
        line: site.line,
        column: site.column,
        channels: [...site.channels],
        findings: [],
        ignored: [],
        error: `clonecheck could not judge this send's type: ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
  }
}

function judgeSite(
  ts: TypeScript,
  checker: TS.TypeChecker,
  site: SendSite,
  only: readonly Channel[] | undefined,
  target: Target,
  ignored: (f: Finding) => boolean,
  cwd: string,
): ReportSubject | undefined {
  if (site.optIn && !only) return undefined;
  const channels = only ? site.channels.filter((c) => only.includes(c)) : [...site.channels];
  if (channels.length === 0) return undefined;
  const type = 'valueType' in site.value ? site.value.valueType : checker.getTypeAtLocation(site.value);
  const judged = judgeType(ts, checker, type, { channels, root: site.root, target, transfers: site.transfers });
  const findings: Finding[] = [];
  const ignoredFindings: Finding[] = [];
  // Channel order first, as check() sorts, then the order of the walk.
  for (const channel of channels) {
    for (const tf of judged.findings) {
      if (tf.channel !== channel) continue;
      const hint = hintFor(tf.code, tf.args, tf.channel);
      const finding: Finding = {
        channel: tf.channel,
        effect: effectOf(tf.code),
        severity: severityOf(tf.code),
        code: tf.code,
        path: tf.path,
        at: formatScanPath(tf.path),
        message: messageFor(tf.code, tf.args, tf.channel),
        ...(hint !== undefined ? { hint } : {}),
        args: tf.args,
      };
      if (ignored({ ...finding, at: concretePath(tf.path) })) ignoredFindings.push(finding);
      else findings.push(finding);
    }
  }
  const notes: string[] = [];
  if (judged.unknowable.length > 0) {
    const where = judged.unknowable.slice(0, 5).map((u) => `${formatScanPath(u.path)} (${u.type})`);
    notes.push(`cannot tell from the type at ${where.join(', ')}${judged.unknowable.length > 5 ? ` and ${judged.unknowable.length - 5} more` : ''}`);
  }
  if (site.note) notes.push(site.note);
  return {
    kind: 'send-site',
    name: site.api,
    file: displayPath(cwd, site.file),
    line: site.line,
    column: site.column,
    channels,
    findings,
    ignored: ignoredFindings,
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    ...(judged.unknowable.length > 0 ? { data: { unknowable: judged.unknowable.map((u) => formatScanPath(u.path)) } } : {}),
  };
}

/**
 * A scan path for people: `check()`'s accessor style (`findings/path.ts`), with `*` for the index of
 * any element or key (`[*]`) and of any Map or Set entry (`.get(*)`, `.keys()[*]`, `.values()[*]`).
 */
export function formatScanPath(path: readonly PathSegment[]): string {
  let out = '$';
  for (const step of path) {
    const first = firstOf(step);
    out += first === step ? formatSegment(step) : formatSegment(first, '*').replace(/\[0\]$/, '[*]');
  }
  return out;
}

/** The path with each wildcard as the first element or entry, for matching `ignore` patterns (`[*]` matches it). */
function concretePath(path: readonly PathSegment[]): string {
  return formatPath(path.map(firstOf));
}

/** A wildcard step as the first element or entry it stands for; any other step as it is. */
function firstOf(step: PathSegment): PathSegment {
  if (step === ANY_KEY) return 0;
  return typeof step === 'object' && step.index < 0 ? { ...step, index: 0 } : step;
}

function findProject(project: string | undefined, from: string): string | undefined {
  if (project !== undefined) {
    const file = existsSync(project) && statSync(project).isDirectory() ? join(project, 'tsconfig.json') : project;
    if (!existsSync(file)) throw new ScanError(`clonecheck scan: no tsconfig at ${file}.`);
    return file;
  }
  let dir = existsSync(from) && statSync(from).isDirectory() ? from : dirname(from);
  for (;;) {
    const file = join(dir, 'tsconfig.json');
    if (existsSync(file)) return file;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function createProgram(ts: TypeScript, configFile: string | undefined, paths: readonly string[], cwd: string): TS.Program {
  if (configFile) {
    const read = ts.readConfigFile(configFile, (f) => ts.sys.readFile(f));
    if (read.error)
      throw new ScanError(`clonecheck scan: cannot read ${displayPath(cwd, configFile)}: ${ts.flattenDiagnosticMessageText(read.error.messageText, ' ')}`);
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(configFile), { noEmit: true }, configFile);
    const roots = new Set(parsed.fileNames);
    // Files asked for that the tsconfig leaves out are read too.
    for (const p of paths) for (const f of sourceFilesUnder(ts, p)) roots.add(f);
    return ts.createProgram({
      rootNames: [...roots],
      options: withNodeTypes(ts, { ...parsed.options, noEmit: true }, dirname(configFile)),
      ...(parsed.projectReferences ? { projectReferences: parsed.projectReferences } : {}),
    });
  }
  const roots = paths.length > 0 ? paths.flatMap((p) => sourceFilesUnder(ts, p)) : sourceFilesUnder(ts, cwd);
  const options: TS.CompilerOptions = {
    allowJs: true,
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
  };
  return ts.createProgram({ rootNames: roots, options: withNodeTypes(ts, options, cwd) });
}

function sourceFilesUnder(ts: TypeScript, p: string): string[] {
  if (existsSync(p) && statSync(p).isFile()) return [p];
  return ts.sys.readDirectory(p, ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'], ['**/node_modules/**', '**/dist/**'], ['**/*']);
}

function isUnder(file: string, p: string): boolean {
  return file === p || file.startsWith(p.endsWith(sep) ? p : p + sep);
}

function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return (rel.startsWith('..') || isAbsolute(rel) ? file : rel).replaceAll('\\', '/');
}
