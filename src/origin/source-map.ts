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
  readonly payload?: { readonly sources?: readonly string[]; readonly sourcesContent?: readonly (string | null)[] };
  findEntry(line: number, column: number): { originalSource?: string; originalLine?: number; originalColumn?: number } | Record<string, never>;
}

export interface ScriptInfo {
  readonly url: string;
  readonly sourceMapURL: string;
  /** The script declares an inline map too big to keep for every script: ask for it again when needed. */
  readonly mapDropped?: boolean;
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
export function mapPosition(script: ScriptInfo, line: number, column: number, refresh?: () => ScriptInfo | undefined): Position | undefined {
  let map = sourceMapOf(script);
  if (!map && script.mapDropped && refresh) {
    const full = refresh();
    if (full && !full.mapDropped) map = sourceMapOf(full);
  }
  if (!map) return undefined;
  let entry: ReturnType<SourceMapLike['findEntry']>;
  try {
    entry = map.findEntry(line, column);
  } catch {
    return undefined;
  }
  if (!entry || typeof entry.originalSource !== 'string' || typeof entry.originalLine !== 'number' || typeof entry.originalColumn !== 'number')
    return undefined;
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
  if (script.mapDropped) {
    // Node's own copy when it has one; else nothing until the map is asked for again.
    try {
      return (nodeModule.findSourceMap?.(script.url) as SourceMapLike | undefined) ?? null;
    } catch {
      return null;
    }
  }
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

const texts = new Map<string, string[] | null>();

/** The lines of an original source: from its source map's `sourcesContent`, else from the file. */
function linesOf(file: string, script: ScriptInfo): string[] | null {
  const cached = texts.get(file);
  if (cached !== undefined) return cached;
  let text: string | undefined;
  const map = sourceMapOf(script);
  const payload = map?.payload;
  if (payload?.sources && payload.sourcesContent) {
    for (let i = 0; i < payload.sources.length; i++) {
      const content = payload.sourcesContent[i];
      if (typeof content === 'string' && sourceFile(payload.sources[i]!, script) === file) text = content;
    }
  }
  if (text === undefined && isAbsolute(file)) {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = undefined;
    }
  }
  const lines = text === undefined ? null : text.split('\n');
  texts.set(file, lines);
  return lines;
}

/**
 * The `class` keyword that opens the class whose constructor (or whose `class` keyword) is at
 * `line`/`column` (0-based) of `file`, searching back at most 500 lines. With `name`, the
 * declaration must name it (`class Customer`); `undefined` when the text is not at hand.
 */
export function classKeywordBefore(
  file: string,
  script: ScriptInfo,
  line: number,
  column: number,
  name: string | undefined,
): { line: number; column: number } | undefined {
  const lines = linesOf(file, script);
  if (!lines || line >= lines.length) return undefined;
  const pattern = new RegExp(name ? `\\bclass\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b` : '\\bclass\\b', 'g');
  for (let l = line; l >= 0 && l > line - 500; l--) {
    const text = l === line ? lines[l]!.slice(0, column + 1 + 5) : lines[l]!;
    let last = -1;
    pattern.lastIndex = 0;
    for (let m = I.regexpExec(pattern, text); m !== null; m = I.regexpExec(pattern, text)) last = m.index;
    if (last !== -1) return { line: l, column: last };
  }
  return undefined;
}
