/**
 * Loads one of clonecheck's own modules when a run first needs it. In the package (CommonJS) this
 * is a plain `require`, which costs less than `import()` of a CommonJS file (Node would scan each
 * one for its export names); from the sources (ES modules, under a test runner) it is `import()`.
 * `id` is relative to src/cli/.
 */
declare const require: ((id: string) => unknown) | undefined;

export async function lazy<T>(id: string): Promise<T> {
  if (typeof require === 'function') {
    try {
      return require(id) as T;
    } catch (error) {
      // Only the sources' own .ts files are not found this way; anything else is a real failure.
      if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  return (await import(id)) as T;
}
