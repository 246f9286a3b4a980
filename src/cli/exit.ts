/** Exit codes, as documented in docs/cli.md: the worst outcome of the run wins. */
export const EXIT = {
  /** Nothing fails the run. */
  ok: 0,
  /** Findings that fail the run, or --verify found the prediction wrong. */
  failed: 1,
  /** A file that could not be loaded, an export that could not be checked, or a usage error. */
  error: 2,
} as const;

/** The exit code of a run that got as far as a report: errors first, then failures. */
export function exitCodeFor(run: { readonly errors: number; readonly failing: number; readonly disagreements?: number }): 0 | 1 | 2 {
  if (run.errors > 0) return EXIT.error;
  return run.failing > 0 || (run.disagreements ?? 0) > 0 ? EXIT.failed : EXIT.ok;
}

/**
 * The run so far: the exit code it ends with if the output is closed under it (EPIPE), and the file
 * being loaded or checked (a module's late failure names it when its stack does not).
 */
export const progress = { exitCode: EXIT.ok as number, file: undefined as string | undefined };
