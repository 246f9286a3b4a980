// The package as users import it: every entry of the exports map resolves from the built dist/.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };

const run = (code: string): string =>
  execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' }).trim();

describe('the package', () => {
  it("import { check } from 'clonecheck' works", () => {
    const out = run(`import { check } from 'clonecheck'; console.log(check({ f() {} }, { channels: ['worker'] }).findings.map((f) => f.code).join())`);
    expect(out).toBe('FUNCTION_NOT_CLONEABLE');
  });

  it.each(Object.keys(pkg.exports).filter((k) => k !== './package.json' && k !== './vitest' && k !== './register'))('%s resolves', (entry) => {
    const name = entry === '.' ? 'clonecheck' : `clonecheck/${entry.slice(2)}`;
    expect(run(`const m = await import('${name}'); console.log(Object.keys(m).length > 0)`)).toBe('true');
  });
});
