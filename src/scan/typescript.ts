import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type * as TS from 'typescript';

export type TypeScript = typeof TS;

/** Thrown when the scan cannot start: TypeScript is missing, or the project cannot be read. */
export class ScanError extends Error {
  override readonly name = 'ScanError';
}

/**
 * Loads the `typescript` package: first from the project being scanned (so its own version reads its
 * own code), then from wherever clonecheck is installed. TypeScript is an optional peer dependency:
 * only the scan needs it.
 */
export async function loadTypeScript(projectDir: string, places: readonly string[] = [join(projectDir, 'package.json'), import.meta.url]): Promise<TypeScript> {
  for (const from of places) {
    try {
      const path = createRequire(from).resolve('typescript');
      const mod = (await import(pathToFileURL(path).href)) as TypeScript & { default?: TypeScript };
      return mod.default ?? mod;
    } catch {
      // try the next place
    }
  }
  throw new ScanError(
    'clonecheck scan reads your code with the TypeScript compiler, and the "typescript" package is not installed. ' +
      'Install it next to clonecheck: npm install --save-dev typescript',
  );
}
