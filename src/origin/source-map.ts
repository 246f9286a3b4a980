// Maps a V8 location (script URL, 0-based line and column) back to the source the user wrote,
// through the script's source map: the one Node already parsed (`module.findSourceMap`, present when
// source maps are enabled, as tsx enables them), else the `sourceMappingURL` the script declares
// (inline `data:` maps from tsx, Node's type stripping and bundlers, or a `.map` file beside it).
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as I from './intrinsics.js';

interface SourceMapLike {
  findEntry(line: number, column: number): { originalSource?: string; originalLine?: number; originalColumn?: number } | Record<string, never>;
}

export interface ScriptInfo {
  readonly url: string;
  readonly sourceMapURL: string;
}

export interface Position {
  readonly file: string;
  /** 0-based. */
  readonly line: number;
  /** 0-based. */
  readonly column: number;
}

const maps = new Map<string, SourceMapLike | null>();

/** A script URL as people read it: a path for `file:` URLs (without tsx's `?tsx-namespace=` query), else the URL. */
export function fileOfUrl(url: string): string {
  if (I.stringStartsWith(url, 'file:')) {
    const q = I.stringIndexOf(url, '?');
    try {
      return fileURLToPath(q === -1 ? url : I.stringSlice(url, 0, q));
    } catch {
      return url;
    }
  }
  return url;
}

/** The original position of `line`/`column` in `script`, or undefined when it has no usable source map. */
export function mapPosition(script: ScriptInfo, line: number, column: number): Position | undefined {
  const map = sourceMapOf(script);
  if (!map) return undefined;
  let entry: ReturnType<SourceMapLike['findEntry']>;
  try {
    entry = map.findEntry(line, column);
  } catch {
    return undefined;
  }
  if (!entry || typeof entry.originalSource !== 'string' || typeof entry.originalLine !== 'number' || typeof entry.originalColumn !== 'number') return undefined;
  return { file: sourceFile(entry.originalSource, script), line: entry.originalLine, column: entry.originalColumn };
}

function sourceFile(source: string, script: ScriptInfo): string {
  if (I.stringStartsWith(source, 'file:')) return fileOfUrl(source);
  if (isAbsolute(source)) return source;
  const base = fileOfUrl(script.url);
  if (!isAbsolute(base)) return source;
  return resolve(dirname(base), source);
}

function sourceMapOf(script: ScriptInfo): SourceMapLike | null {
  const key = `${script.url}\n${script.sourceMapURL.length}`;
  const cached = maps.get(key);
  if (cached !== undefined) return cached;
  let map: SourceMapLike | null = null;
  try {
    map = (nodeModule.findSourceMap?.(script.url) as SourceMapLike | undefined) ?? null;
  } catch {
    map = null;
  }
  if (!map && script.sourceMapURL) map = parseDeclared(script);
  maps.set(key, map);
  return map;
}

function parseDeclared(script: ScriptInfo): SourceMapLike | null {
  try {
    const ref = script.sourceMapURL;
    let json: string;
    if (I.stringStartsWith(ref, 'data:')) {
      const comma = I.stringIndexOf(ref, ',');
      if (comma === -1) return null;
      const header = I.stringSlice(ref, 0, comma);
      const body = I.stringSlice(ref, comma + 1);
      json = I.regexpExec(/;base64$/, header) ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
    } else {
      const base = fileOfUrl(script.url);
      if (!isAbsolute(base)) return null;
      const path = I.stringStartsWith(ref, 'file:') ? fileOfUrl(ref) : resolve(dirname(base), ref);
      json = readFileSync(path, 'utf8');
    }
    const payload = I.jsonParse(json) as object;
    return new nodeModule.SourceMap(payload as ConstructorParameters<typeof nodeModule.SourceMap>[0]) as unknown as SourceMapLike;
  } catch {
    return null;
  }
}
