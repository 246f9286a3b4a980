import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import type * as TS from 'typescript';

export type TypeScript = typeof TS;

/** Thrown when the scan cannot start: TypeScript is missing, or the project cannot be read. */
export class ScanError extends Error {
  override readonly name = 'ScanError';
}

/** What the scan calls on the compiler: a `typescript` package without these (TypeScript 7's entry) cannot read a project. */
const COMPILER_API = ['createProgram', 'readConfigFile', 'parseJsonConfigFileContent', 'sys', 'TypeFlags'] as const;

/** A `typescript` package that was found but cannot be used: its version and where it is. */
interface Unusable {
  readonly version: string;
  readonly path: string;
}

/**
 * Loads the `typescript` package: first from the project being scanned (so its own version reads its
 * own code), then from wherever clonecheck is installed. TypeScript is an optional peer dependency:
 * only the scan needs it. The scan needs the compiler API of TypeScript 5.x and 6.x; TypeScript 7's
 * package has none, so a 7 in the project is passed over for a 5.x or 6.x where clonecheck is
 * installed, and when there is none the scan stops and says which version was found where.
 */
export async function loadTypeScript(projectDir: string, places: readonly string[] = [join(projectDir, 'package.json'), import.meta.url]): Promise<TypeScript> {
  let unusable: Unusable | undefined;
  for (const from of places) {
    let path: string;
    let mod: TypeScript & { default?: TypeScript };
    try {
      path = createRequire(from).resolve('typescript');
      mod = (await import(pathToFileURL(path).href)) as TypeScript & { default?: TypeScript };
    } catch {
      continue; // try the next place
    }
    const ts = (mod.default ?? mod) as Partial<TypeScript>;
    if (hasCompilerApi(ts)) return ts as TypeScript;
    unusable ??= { version: typeof ts.version === 'string' ? ts.version : 'of an unknown version', path: packageDir(path) };
  }
  if (unusable) {
    const major = Number(unusable.version.split('.')[0]);
    throw new ScanError(
      `clonecheck scan: the "typescript" package found at ${unusable.path} is TypeScript ${unusable.version}, ` +
        `${major >= 7 ? 'whose package has no compiler API' : 'which lacks the compiler API'} (ts.createProgram, ts.readConfigFile, ...). ` +
        'The scan reads your code with the compiler API of TypeScript 5.x or 6.x. ' +
        'Install one in the project: npm install --save-dev typescript@6 (or typescript@5)',
    );
  }
  throw new ScanError(
    'clonecheck scan reads your code with the TypeScript compiler, and the "typescript" package is not installed. ' +
      'Install it next to clonecheck: npm install --save-dev typescript@6 (the compiler API of TypeScript 5.x or 6.x; TypeScript 7 has none)',
  );
}

function hasCompilerApi(ts: Partial<TypeScript>): boolean {
  if (Number(String(ts.version).split('.')[0]) >= 7) return false;
  return COMPILER_API.every((name) => ts[name] !== undefined && ts[name] !== null);
}

/** The folder of the package that holds `file` (`.../node_modules/typescript`), for the message. */
function packageDir(file: string): string {
  const at = /[\\/]node_modules[\\/]typescript[\\/]/.exec(file);
  return at ? file.slice(0, at.index + at[0].length - 1) : dirname(file);
}

/** The major version of a loaded compiler. */
export function majorOf(ts: TypeScript): number {
  return Number(ts.version.split('.')[0]);
}
