// The compiler and the declarations a scan stands on: a project's TypeScript 7 (whose package has no
// compiler API), TypeScript 6's `types` default of [] (which leaves Node's declarations out), and a
// tsconfig whose `types` leaves them out. Each is a project in a temp folder with its own
// node_modules: a fake `typescript` package, and the repo's @types/node linked in.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { scan } from '../src/scan/index.js';
import { loadTypeScript } from '../src/scan/typescript.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const realTypeScript = createRequire(join(repo, 'package.json')).resolve('typescript');
const summary = (findings: readonly { channel: string; code: string; at: string }[]): string[] => findings.map((f) => `${f.channel} ${f.code} ${f.at}`).sort();

const SENDER = "import { Worker } from 'node:worker_threads';\nnew Worker('./w.js', { workerData: { at: new Date(), run: () => 1 } });\n";

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** A project folder with a tsconfig, one source file that sends, and the node_modules given. */
function project(compilerOptions: Record<string, unknown>, modules: { typescript?: Record<string, string>; nodeTypes?: boolean }): string {
  const dir = mkdtempSync(join(tmpdir(), 'clonecheck-scan-setup-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', noEmit: true, ...compilerOptions },
      include: ['*.ts'],
    }),
  );
  writeFileSync(join(dir, 'send.ts'), SENDER);
  if (modules.typescript) {
    const ts = join(dir, 'node_modules', 'typescript');
    for (const [file, text] of Object.entries(modules.typescript)) {
      mkdirSync(dirname(join(ts, file)), { recursive: true });
      writeFileSync(join(ts, file), text);
    }
  }
  if (modules.nodeTypes) {
    mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
    symlinkSync(join(repo, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'), 'dir');
  }
  return dir;
}

/** TypeScript 7's package as npm installs it: its entry exports the version and nothing of the compiler. */
const TYPESCRIPT_7 = {
  'package.json': JSON.stringify({ name: 'typescript', version: '7.0.2', main: './lib/version.cjs', exports: { '.': './lib/version.cjs' } }),
  'lib/version.cjs': "module.exports = { version: '7.0.2', versionMajorMinor: '7.0' };\n",
};

/**
 * TypeScript 6 as far as the scan meets it: the repo's compiler with 6's version and 6's default of
 * `types: []` (no @types package unless the tsconfig names it).
 */
const TYPESCRIPT_6 = {
  'package.json': JSON.stringify({ name: 'typescript', version: '6.0.3', main: './index.cjs' }),
  'index.cjs': `const real = require(${JSON.stringify(realTypeScript)});
module.exports = {
  ...real,
  version: '6.0.3',
  versionMajorMinor: '6.0',
  createProgram(first, ...rest) {
    if (first && !Array.isArray(first) && first.options.types === undefined) first = { ...first, options: { ...first.options, types: [] } };
    else if (Array.isArray(first) && rest[0] && rest[0].types === undefined) rest[0] = { ...rest[0], types: [] };
    return real.createProgram(first, ...rest);
  },
};
`,
};

describe('scan: a project whose TypeScript is 7', () => {
  it('stops with a ScanError naming the version, where it is, and the fix, instead of "ts.readConfigFile is not a function"', async () => {
    const dir = project({ types: ['node'] }, { typescript: TYPESCRIPT_7, nodeTypes: true });
    const error = await loadTypeScript(dir, [join(dir, 'package.json')]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('ScanError');
    expect((error as Error).message).toContain(`found at ${join(dir, 'node_modules', 'typescript')} is TypeScript 7.0.2`);
    expect((error as Error).message).toMatch(/compiler API of TypeScript 5\.x or 6\.x.*npm install --save-dev typescript@6 \(or typescript@5\)/);
  });

  it('reads the project with the TypeScript 5.x or 6.x where clonecheck is installed, when there is one', async () => {
    const dir = project({ types: ['node'] }, { typescript: TYPESCRIPT_7, nodeTypes: true });
    const result = await scan({ cwd: dir, channels: ['worker'] });
    expect(result.subjects.map((s) => [s.name, s.line, summary(s.findings)])).toEqual([
      ['new Worker() workerData', 2, ['worker FUNCTION_NOT_CLONEABLE $.run']],
    ]);
  });
});

describe("scan: Node's declarations installed but not in the program", () => {
  it('TypeScript 6 with no types in the tsconfig: the scan adds "node", as TypeScript 5 read the same tsconfig', async () => {
    const dir = project({}, { typescript: TYPESCRIPT_6, nodeTypes: true });
    const result = await scan({ cwd: dir, channels: ['worker'] });
    expect(result.subjects.map((s) => [s.name, summary(s.findings)])).toEqual([['new Worker() workerData', ['worker FUNCTION_NOT_CLONEABLE $.run']]]);
  });

  it('TypeScript 6 without @types/node still says to install them', async () => {
    const dir = project({}, { typescript: TYPESCRIPT_6 });
    await expect(scan({ cwd: dir })).rejects.toThrow(
      /send\.ts imports worker_threads, but Node's type declarations are not installed.*npm install --save-dev @types\/node/,
    );
  });

  it('a tsconfig whose types leave them out is told so, with the fix, not that they are not installed', async () => {
    const dir = project({ types: [] }, { nodeTypes: true });
    const error = await scan({ cwd: dir }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.name).toBe('ScanError');
    expect(error?.message).toMatch(
      /send\.ts imports worker_threads, and Node's type declarations are installed \(node_modules\/@types\/node\), but tsconfig\.json leaves them out.*"types": \["node"\]/,
    );
    expect(error?.message).not.toMatch(/not installed/);
  });
});
