// clonecheck/arbitraries without its optional peer fast-check: the built package, copied into a
// project of its own where fast-check cannot be resolved, says what is missing and how to install it,
// whether it is imported or required. With fast-check linked into that project, it loads.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_CHECK_MISSING } from '../src/verify/needs-fast-check.js';

const REPO = join(import.meta.dirname, '..');
let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'clonecheck-peer-'));
  const pkg = join(project, 'node_modules', 'clonecheck');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(REPO, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(REPO, 'dist'), join(pkg, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });
  writeFileSync(join(project, 'package.json'), '{ "name": "peer-check", "private": true, "type": "module" }\n');
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

function run(code: string, type: 'module' | 'commonjs'): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, ['--input-type', type, '-e', code], { cwd: project, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe('clonecheck/arbitraries without fast-check', () => {
  it('an import says fast-check is missing and how to install it', () => {
    const r = run("await import('clonecheck/arbitraries')", 'module');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(FAST_CHECK_MISSING);
    expect(r.stderr).toContain('npm install --save-dev fast-check');
  });

  it('a require says the same', () => {
    const r = run("require('clonecheck/arbitraries')", 'commonjs');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(FAST_CHECK_MISSING);
  });

  it('the main entry needs no fast-check', () => {
    const r = run("const { check } = await import('clonecheck'); console.log(check(new Map(), { channels: ['fork'] }).findings[0].code)", 'module');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('MAP_BECOMES_OBJECT');
  });

  it('loads once fast-check is installed next to it', () => {
    symlinkSync(join(REPO, 'node_modules', 'fast-check'), join(project, 'node_modules', 'fast-check'), 'dir');
    const r = run("const a = await import('clonecheck/arbitraries'); console.log(typeof a.richValueMaker)", 'module');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('object');
  });
});
