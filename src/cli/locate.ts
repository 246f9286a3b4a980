/**
 * Where a module declares its exports, read from its source text (not run, not parsed as a whole):
 * `export const job = ...`, `export function make()`, `export default ...`, `export { a as b }`,
 * `exports.job = ...`, `module.exports = ...`. Good for the common forms; an export it cannot place
 * simply has no location.
 */
import { readFileSync } from 'node:fs';

export interface SourceLocation {
  /** 1-based. */
  readonly line: number;
  /** 1-based, where the exported name (or `default`) starts. */
  readonly column: number;
}

const escape = (name: string): string => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The location of each name in `names` that the source declares; others are absent. */
export function locateExports(path: string, names: readonly string[]): Map<string, SourceLocation> {
  const out = new Map<string, SourceLocation>();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return out;
  }
  if (text.length > 5_000_000) return out;
  const at = (index: number): SourceLocation => {
    let line = 1;
    let lineStart = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    return { line, column: index - lineStart + 1 };
  };
  for (const name of names) {
    const n = escape(name);
    const patterns: RegExp[] =
      name === 'default'
        ? [/^[ \t]*export\s+(default)\b/m, /^[ \t]*(module\.exports)\s*=/m, /\bas\s+(default)\b/m]
        : [
            new RegExp(
              `^[ \\t]*export\\s+(?:declare\\s+)?(?:default\\s+)?(?:async\\s+)?(?:abstract\\s+)?(?:const|let|var|function\\*?|class|enum)\\s*\\*?\\s*(${n})(?![\\w$])`,
              'm',
            ),
            new RegExp(`^[ \\t]*(?:module\\.)?exports\\.(${n})\\s*=`, 'm'),
            new RegExp(`^[ \\t]*(?:module\\.)?exports\\[["'](${n})["']\\]\\s*=`, 'm'),
            new RegExp(`\\bexport\\s*\\{[^}]*?\\bas\\s+(${n})(?![\\w$])`, 'm'),
          ];
    let found: RegExpExecArray | null = null;
    for (const p of patterns) {
      found = p.exec(text);
      if (found) break;
    }
    if (!found) {
      // `export { job }` or `export { job, queue }`: the local declaration is the place to show.
      const listed = new RegExp(`\\bexport\\s*\\{[^}]*?(?<![\\w$])${n}(?![\\w$])(?!\\s+as\\b)`, 'm').exec(text);
      if (listed)
        found = new RegExp(`^[ \\t]*(?:declare\\s+)?(?:async\\s+)?(?:const|let|var|function\\*?|class|enum)\\s*\\*?\\s*(${n})(?![\\w$])`, 'm').exec(text);
      // A destructured or multi-name declaration: `const a = 1, job = 2;`
      found ??= listed;
      if (found && found === listed) {
        const index = listed.index + listed[0].lastIndexOf(name);
        out.set(name, at(index));
        continue;
      }
    }
    if (found) out.set(name, at(found.index + found[0].lastIndexOf(found[1]!)));
  }
  return out;
}
