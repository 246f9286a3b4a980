// A fresh consumer project with the packed package installed, as a user gets it: `npm pack`, then
// `npm install <tarball>` in an empty project (offline when npm's cache has yargs, as it does after
// this repository's own `npm install`). Test tools the consumer would bring (TypeScript, Jest,
// @types/node, Vitest, fast-check) are linked from this repository's node_modules instead of
// installed. One project per tarball content, kept in the system's temporary folder and shared by
// test files.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
// Outside the repository: from inside it, Node would find whatever the project lacks in this
// repository's node_modules, and the project would not be fresh.
const CACHE = join(tmpdir(), 'clonecheck-consumers');
/** Tools the consumer brings itself, linked from this repository. */
export const LINKED = ['typescript', 'jest', '@types/node', 'vitest', 'fast-check'] as const;

export interface Consumer {
  /** The project folder: package.json, node_modules/clonecheck, and the files of test/consumers/. */
  readonly dir: string;
  readonly tarball: string;
  /** The packed files, as `npm pack --json` lists them. */
  readonly files: readonly string[];
  /** What `npm install <tarball>` put in node_modules/, before the linked tools: path → version. */
  readonly installed: Readonly<Record<string, { version?: string; hasInstallScript?: boolean }>>;
}

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
  });

/** Projects of earlier tarballs, unused for a day, are removed. */
function prune(): void {
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of readdirSync(CACHE)) {
    const path = join(CACHE, name);
    try {
      if (statSync(path).mtimeMs < dayAgo) rmSync(path, { recursive: true, force: true });
    } catch {
      /* removed by another test file */
    }
  }
}

export function consumerProject(): Consumer {
  if (!existsSync(join(REPO, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test builds first)');
  mkdirSync(CACHE, { recursive: true });
  prune();
  const packDir = mkdtempSync(join(tmpdir(), 'clonecheck-pack-'));
  const [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], REPO)) as {
    filename: string;
    files: { path: string }[];
  }[];
  const packedTarball = join(packDir, packed!.filename);
  const hash = createHash('sha256')
    .update(readFileSync(packedTarball))
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .digest('hex')
    .slice(0, 16);
  const dir = join(CACHE, hash);
  const tarball = join(CACHE, `${hash}.tgz`);
  if (!existsSync(join(dir, 'installed.json'))) {
    const work = mkdtempSync(join(CACHE, 'work-'));
    renameSync(packedTarball, join(work, 'clonecheck.tgz'));
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2));
    npm(['install', '--prefer-offline', join(work, 'clonecheck.tgz')], work);
    const lock = JSON.parse(readFileSync(join(work, 'package-lock.json'), 'utf8')) as { packages: Consumer['installed'] };
    writeFileSync(join(work, 'installed.json'), JSON.stringify(lock.packages, null, 2));
    for (const name of LINKED) {
      mkdirSync(join(work, 'node_modules', name, '..'), { recursive: true });
      symlinkSync(join(REPO, 'node_modules', name), join(work, 'node_modules', name), 'dir');
    }
    try {
      renameSync(join(work, 'clonecheck.tgz'), tarball);
      renameSync(work, dir);
    } catch {
      rmSync(work, { recursive: true, force: true }); // another test file made the same project first
    }
  }
  rmSync(packDir, { recursive: true, force: true });
  const now = new Date();
  utimesSync(dir, now, now);
  utimesSync(tarball, now, now);
  // The consumer's own files, fresh each time (they are not part of the cache key's tarball).
  cpSync(join(REPO, 'test', 'consumers'), dir, { recursive: true, filter: (src) => !src.endsWith('.ts') || src.includes('/ts/') });
  return {
    dir,
    tarball,
    files: packed!.files.map((f) => f.path),
    installed: JSON.parse(readFileSync(join(dir, 'installed.json'), 'utf8')) as Consumer['installed'],
  };
}
