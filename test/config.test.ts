import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readConfigFile } from '../src/config/index.js';

const root = mkdtempSync(join(tmpdir(), 'clonecheck-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh directory tree under the temporary root: { 'a/b.json': text }. */
function tree(files: Record<string, unknown>): string {
  const dir = join(root, `case-${n++}`);
  for (const [name, content] of Object.entries(files)) {
    const file = join(dir, name);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

function ancestors(dir: string): string[] {
  const out: string[] = [];
  for (let d = dirname(dir); d !== dir; dir = d, d = dirname(d)) out.push(d);
  return out;
}

function hasKey(pkg: string): boolean {
  try {
    return 'clonecheck' in (JSON.parse(readFileSync(pkg, 'utf8')) as object);
  } catch {
    return false;
  }
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('finds clonecheck.config.json upwards from the directory', () => {
    const dir = tree({ 'clonecheck.config.json': { failOn: 'reshape', ignore: ['$.meta.**'], guard: { mode: 'warn' } }, 'src/deep/x.txt': '' });
    const found = loadConfig(join(dir, 'src', 'deep'));
    expect(found).toEqual({ file: join(dir, 'clonecheck.config.json'), config: { failOn: 'reshape', ignore: ['$.meta.**'], guard: { mode: 'warn' } } });
  });

  it('reads the "clonecheck" key of package.json, and skips a package.json without one', () => {
    const dir = tree({ 'package.json': { name: 'app', clonecheck: { channels: ['worker'], target: 'node22' } }, 'pkg/package.json': { name: 'inner' } });
    expect(loadConfig(join(dir, 'pkg'))).toEqual({ file: join(dir, 'package.json'), config: { channels: ['worker'], target: 'node22' } });
  });

  it('passes over a package.json that is not JSON on the way up (an unrelated folder above the project)', () => {
    const dir = tree({ 'package.json': '{ broken', 'app/package.json': { name: 'app' }, 'app/src/x.txt': '' });
    expect(() => loadConfig(join(dir, 'app', 'src'))).not.toThrow();
    const withKey = tree({ 'package.json': { clonecheck: { failOn: 'throw' } }, 'mid/package.json': '{ broken', 'mid/app/package.json': { name: 'app' } });
    expect(loadConfig(join(withKey, 'mid', 'app'))).toEqual({ file: join(withKey, 'package.json'), config: { failOn: 'throw' } });
  });

  it('prefers clonecheck.config.json to package.json in one directory', () => {
    const dir = tree({ 'package.json': { clonecheck: { failOn: 'throw' } }, 'clonecheck.config.json': { failOn: 'note' } });
    expect(loadConfig(dir)?.config).toEqual({ failOn: 'note' });
  });

  it('returns undefined when there is none', () => {
    const dir = tree({ 'package.json': { name: 'x' }, 'a/b/.keep': '' });
    // Only meaningful where no directory above the temporary one holds a config (as on CI machines).
    const above = [root, ...ancestors(root)].some((d) => existsSync(join(d, 'clonecheck.config.json')) || hasKey(join(d, 'package.json')));
    expect(above).toBe(false);
    expect(loadConfig(join(dir, 'a', 'b'))).toBeUndefined();
  });

  it('names the file and the key of a bad config', () => {
    const bad = (config: unknown) => configError(() => loadConfig(tree({ 'clonecheck.config.json': config })));
    let e = bad({ chanels: ['worker'] });
    expect(e.key).toBe('chanels');
    expect(e.file).toMatch(/clonecheck\.config\.json$/);
    expect(e.message).toMatch(/clonecheck\.config\.json: "chanels": unknown key \(did you mean "channels"\?\)/);
    e = bad({ failOn: 'changed' });
    expect(e.message).toMatch(/"failOn": unknown fail level "changed"/);
    e = bad({ ignore: ['DATE_BECOME_STRING'] });
    expect(e.message).toMatch(/"ignore": unknown code "DATE_BECOME_STRING" \(did you mean "DATE_BECOMES_STRING"\?\)/);
    e = bad({ ignore: ['$.a-b'] });
    expect(e.key).toBe('ignore');
    e = bad({ channels: ['wroker'] });
    expect(e.message).toMatch(/"channels": unknown channel "wroker" \(did you mean "worker"\?\)/);
    e = bad({ target: 'node21' });
    expect(e.message).toMatch(/"target": unknown target "node21" \(did you mean "node20"\?\); use one of "node20", "node22", "node24", "node26"/);
    e = bad({ guard: { mode: 'loud' } });
    expect(e.key).toBe('guard.mode');
    e = bad({ guard: { sample: 2 } });
    expect(e.key).toBe('guard.sample');
    e = bad({ guard: { nodemodules: true } });
    expect(e.message).toMatch(/"guard.nodemodules": unknown key \(did you mean "nodeModules"\?\)/);
    e = bad([1]);
    expect(e.message).toMatch(/expected an object/);
    e = configError(() => loadConfig(tree({ 'clonecheck.config.json': '{ "failOn": ' })));
    expect(e.message).toMatch(/clonecheck\.config\.json: is not valid JSON/);
    e = configError(() => loadConfig(tree({ 'package.json': { clonecheck: { failOn: 1 } } })));
    expect(e.key).toBe('clonecheck.failOn');
    expect(e.file).toMatch(/package\.json$/);
  });

  it('reads a file named on purpose', () => {
    const dir = tree({ 'my.json': { ignore: ['class:Customer'] }, 'package.json': { name: 'x' } });
    expect(readConfigFile(join(dir, 'my.json')).config).toEqual({ ignore: ['class:Customer'] });
    expect(configError(() => readConfigFile(join(dir, 'package.json'))).message).toMatch(/has no "clonecheck" key/);
    expect(configError(() => readConfigFile(join(dir, 'none.json'))).message).toMatch(/no such file/);
  });
});
