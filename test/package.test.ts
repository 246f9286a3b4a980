// The package as users get it: `npm pack`, installed into a fresh project, checked by publint and
// arethetypeswrong, then loaded by every kind of consumer: an ES module, CommonJS (also without
// require(esm)), Jest in its default CommonJS mode, Vitest, TypeScript under each module resolution,
// and every Node.js line it runs on; and importing it loads none of the command's tools.
// See test/consumers/ and docs/packaging.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { consumerProject, REPO, type Consumer } from './consumers/project.js';
// @ts-expect-error: the plain .mjs installer, without types
import { ensure, LINES } from '../scripts/runtimes.mjs';

const RESOLUTIONS = ['node16', 'nodenext', 'bundler', 'node10'] as const;

let consumer: Consumer;
interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly output: string;
}
/** Slow runs, started together in beforeAll (each takes seconds): tsc per module resolution, one tsc that must fail, attw. */
const started = new Map<string, Promise<Run>>();

/** Runs a Node script in the background; stdout alone and stdout with stderr. */
function startNode(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (d: Buffer) => ((stdout += d), (output += d)));
    child.stderr.on('data', (d: Buffer) => (output += d));
    child.on('close', (status) => resolve({ status, stdout, output }));
  });
}

beforeAll(() => {
  consumer = consumerProject();
  const tsc = join(consumer.dir, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const resolution of RESOLUTIONS) started.set(resolution, startNode([tsc, '-p', join('ts', `tsconfig.${resolution}.json`)], consumer.dir));
  writeFileSync(join(consumer.dir, 'ts', 'missing.mts'), "import { checkEverything } from 'clonecheck';\nexport const x = checkEverything;\n");
  started.set('missing', startNode([tsc, '--noEmit', '--skipLibCheck', '--module', 'nodenext', '--types', 'node', join('ts', 'missing.mts')], consumer.dir));
  started.set('attw', startNode([join(REPO, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js'), consumer.tarball, '--format', 'json'], REPO));
}, 120_000);

const node = (args: string[], cwd = consumer.dir) => spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
};

/**
 * Bytes under a folder, following no links. Walked by hand: from Node 22, readdirSync's `recursive`
 * goes into linked folders too (the linked test tools would count).
 */
function size(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) total += size(path);
    else if (e.isFile()) total += statSync(path).size;
  }
  return total;
}

const EXPECTED_LINES = ['clonecheck: FUNCTION_NOT_CLONEABLE', 'assertCloneable: true', 'matchers: true', 'roundtrip: function', 'guard: function'];

describe('the tarball', () => {
  it('holds the build, both module formats of each entry, the docs, the examples and the licence, and nothing of the repository besides', () => {
    const files = consumer.files;
    for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/package.json', 'bin/clonecheck.js', 'examples/job.mjs', 'docs/cli.md'])
      expect(files).toContain(f);
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      const conditions = target as Record<'import' | 'require', { types: string; default: string }>;
      const paths = [conditions.import.types, conditions.import.default, conditions.require.types, conditions.require.default];
      for (const path of paths) expect(files, `${entry}: ${path}`).toContain(path.slice(2));
      expect(conditions.import.default, entry).toMatch(/\.mjs$/);
      expect(conditions.require.default, entry).toMatch(/\.js$/);
    }
    expect(files.filter((f) => /^(test|fixtures|bench|scripts|\.cache|\.ci)\//.test(f))).toEqual([]);
  });

  it('runs no script on a user’s install', () => {
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[hook], hook).toBeUndefined();
    const withScripts = Object.entries(consumer.installed).filter(([, p]) => p.hasInstallScript);
    expect(withScripts).toEqual([]);
  });

  it('installs no TypeScript loader, no esbuild and no TypeScript: they are optional peers', () => {
    const names = Object.keys(consumer.installed).map((p) => p.replace(/^.*node_modules\//, ''));
    for (const heavy of ['tsx', 'esbuild', 'typescript', 'vitest', 'fast-check', 'jest']) expect(names).not.toContain(heavy);
    expect(names.filter((n) => n.startsWith('@esbuild/'))).toEqual([]);
    const own = size(join(consumer.dir, 'node_modules'));
    // The figure for the report: everything npm installed (the linked test tools are symlinks, not counted).
    console.log(`npm install clonecheck: ${names.length - 1} packages, ${(own / 1e6).toFixed(1)} MB`);
    expect(own).toBeLessThan(8e6);
  });
});

describe('package linters, on the packed tarball', () => {
  const bin = (name: string, file: string) => join(REPO, 'node_modules', name, file);

  it('publint --strict: clean', () => {
    const r = node([bin('publint', 'src/cli.js'), 'run', consumer.tarball, '--strict'], REPO);
    expect(r.stdout + r.stderr).toContain('All good!');
    expect(r.status).toBe(0);
  });

  it('arethetypeswrong (attw), default profile: no problems for node10, node16 from CJS and ESM, bundler', async () => {
    const r = await started.get('attw')!;
    const report = JSON.parse(r.stdout) as { analysis: { problems: unknown[]; entrypoints: Record<string, unknown> } };
    expect(report.analysis.problems).toEqual([]);
    expect(Object.keys(report.analysis.entrypoints)).toEqual(Object.keys(pkg.exports));
    expect(r.status).toBe(0);
  }, 120_000);
});

describe('every consumer loads it', () => {
  it('an ES module: import from each library entry', () => {
    const r = node(['esm.mjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(EXPECTED_LINES);
  });

  it('CommonJS: require() each library entry', () => {
    const r = node(['cjs.cjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(EXPECTED_LINES);
  });

  it('CommonJS without require(esm): node --no-experimental-require-module', () => {
    const r = node(['--no-experimental-require-module', 'cjs.cjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(EXPECTED_LINES);
  });

  it('both at once: one copy of each module (one guard, one CloneCheckError class), the same names', () => {
    const r = node(['one-copy.mjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['guard: true', 'error class: true', 'api: same']);
  });

  it('node --import clonecheck/register and node --require clonecheck/register', () => {
    for (const flag of ['--import', '--require']) {
      const r = node([flag, 'clonecheck/register', '-e', "require('node:worker_threads'); console.log(require('clonecheck/guard').isInstalled())"]);
      expect(r.stderr, flag).toBe('');
      expect(r.stdout.trim(), flag).toBe('true');
    }
  });

  it('Jest 30 in its default CommonJS mode: expect.extend(require("clonecheck/matchers"))', () => {
    const jest = join(consumer.dir, 'node_modules', 'jest', 'bin', 'jest.js');
    const r = node([jest, '--ci', '--rootDir', join(consumer.dir, 'jest'), '--cacheDirectory', join(consumer.dir, '.jest-cache')]);
    expect(r.stderr + r.stdout).toMatch(/Tests:\s+2 passed, 2 total/);
    expect(r.status).toBe(0);
  }, 120_000);

  it('Vitest: import "clonecheck/vitest" registers toBeCloneable', () => {
    const vitest = join(consumer.dir, 'node_modules', 'vitest', 'vitest.mjs');
    const r = node([vitest, 'run', '--root', join(consumer.dir, 'vitest')], consumer.dir);
    expect(r.stderr + r.stdout).toMatch(/Tests\s+2 passed \(2\)/);
    expect(r.status).toBe(0);
  }, 120_000);

  it.each(RESOLUTIONS)(
    'TypeScript, moduleResolution %s',
    async (resolution) => {
      const r = await started.get(resolution)!;
      expect(r.output).toBe('');
      expect(r.status).toBe(0);
    },
    120_000,
  );
});

describe('the installed command', () => {
  it('--help ends with a docs link that works from the installed package: a URL, or a file that exists', () => {
    const r = node([join('node_modules', 'clonecheck', 'bin', 'clonecheck.js'), '--help']);
    expect(r.status).toBe(0);
    const docs = /Docs: (\S+)/.exec(r.stdout)?.[1];
    expect(docs, 'a "Docs: <location>" line').toBeDefined();
    const target = docs!.replace(/[.,]$/, '');
    if (!/^https?:\/\//.test(target)) expect(existsSync(resolve(consumer.dir, target)), `${target}, from ${consumer.dir}`).toBe(true);
  });
});

describe('every Node.js line it runs on loads it', () => {
  // The binaries come from scripts/runtimes.mjs (.cache/runtimes/, installed once); a line with no
  // binary for this platform, or with CLONECHECK_RUNTIMES=0, is named and left out.
  const { found, missing } = ensure(LINES, { log: (line: string) => console.log(line) }) as {
    found: Record<number, { node: string; version: string }>;
    missing: Record<number, string>;
  };

  it.each(LINES as number[])(
    'Node %s: import, require, and the command on a .ts file',
    (line) => {
      const runtime = found[line];
      if (!runtime) {
        expect(missing[line], `Node ${line} is neither installed nor left out for a reason`).toBeTruthy();
        console.log(`Node ${line}: left out (${missing[line]})`);
        return;
      }
      for (const file of ['esm.mjs', 'cjs.cjs']) {
        const r = spawnSync(runtime.node, [file], { cwd: consumer.dir, encoding: 'utf8' });
        expect(r.stderr, `Node ${runtime.version} ${file}`).toBe('');
        expect(r.stdout.trim().split('\n'), `Node ${runtime.version} ${file}`).toEqual(EXPECTED_LINES);
      }
      // The command on a .ts file, no tsx installed: this line's own type stripping, or one line saying what to install.
      writeFileSync(join(consumer.dir, `typed-${line}.ts`), 'export const job: { id: number } = { id: 1 };\n');
      const strips = spawnSync(runtime.node, ['-p', 'Boolean(process.features.typescript)'], { encoding: 'utf8' }).stdout.trim() === 'true';
      const r = spawnSync(runtime.node, [join('node_modules', 'clonecheck', 'bin', 'clonecheck.js'), `typed-${line}.ts`], {
        cwd: consumer.dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      if (strips)
        expect([r.status, r.stdout], `Node ${runtime.version} strips types`).toEqual([0, expect.stringContaining('lossless on worker, fork, fork-advanced')]);
      else expect([r.status, r.stdout + r.stderr], `Node ${runtime.version}`).toEqual([2, expect.stringContaining('npm install --save-dev tsx')]);
    },
    300_000,
  );
});

describe('light for library users', () => {
  /**
   * What a process asks for while it runs `code` (an ES module, or CommonJS with `cjs`): `request <specifier>`
   * for every attempt, `file <path>` for what resolved.
   */
  const loads = (code: string, cjs = false): string[] => {
    const log = join(consumer.dir, `loads-${process.pid}-${Math.random().toString(36).slice(2)}.log`);
    writeFileSync(log, '');
    // The recorder hooks ES module loading with module.register(), deprecated from Node 26 (DEP0205):
    // that one warning, the recorder's own, is not the package's.
    const args = ['--disable-warning=DEP0205', '--require', './record-loads.cjs', ...(cjs ? [] : ['--input-type=module']), '-e', code];
    const r = spawnSync(process.execPath, args, { cwd: consumer.dir, encoding: 'utf8', env: { ...process.env, CLONECHECK_LOAD_LOG: log } });
    expect(r.stderr).toBe('');
    return readFileSync(log, 'utf8').split('\n').filter(Boolean);
  };
  /** tsx is not installed (an optional peer), yargs is (the command's dependency), TypeScript is linked. */
  const HEAVY =
    /^request (tsx|esbuild|yargs|typescript|get-tsconfig)(\/|$)|^request @esbuild\/|node_modules\/(tsx|esbuild|@esbuild|yargs|typescript|get-tsconfig)\//;
  const ENTRIES = ['clonecheck', 'clonecheck/matchers', 'clonecheck/guard', 'clonecheck/roundtrip', 'clonecheck/register'];

  it('import of every library entry asks for no tsx, esbuild, yargs or TypeScript', () => {
    const lines = loads(ENTRIES.map((e) => `import '${e}';`).join('\n'));
    expect(lines.some((f) => f.includes('/node_modules/clonecheck/dist/'))).toBe(true);
    expect(lines.filter((f) => HEAVY.test(f))).toEqual([]);
  });

  it('require() of every library entry asks for none of them either', () => {
    const lines = loads(ENTRIES.map((e) => `require('${e}');`).join('\n'), true);
    expect(lines.some((f) => f.includes('/node_modules/clonecheck/dist/'))).toBe(true);
    expect(lines.filter((f) => HEAVY.test(f))).toEqual([]);
  });

  it('the recorder sees an attempt, installed or not', () => {
    const lines = loads(
      "import 'yargs'; await import('tsx/esm/api').catch(() => {}); import { createRequire } from 'node:module'; createRequire(process.cwd() + '/')('typescript');",
    );
    for (const name of ['yargs', 'tsx/esm/api', 'typescript']) expect(lines, name).toContain(`request ${name}`);
    expect(lines.filter((f) => HEAVY.test(f)).length).toBeGreaterThan(3);
  });
});

describe('the consumer tests can fail', () => {
  it('a CommonJS require of an entry that is not exported fails', () => {
    const r = node(['-e', "require('clonecheck/dist/check/index.js')"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('TypeScript reports an import of a name the package does not export', async () => {
    const r = await started.get('missing')!;
    expect(r.output).toContain("Module '\"clonecheck\"' has no exported member 'checkEverything'");
    expect(r.status).not.toBe(0);
  }, 120_000);
});
