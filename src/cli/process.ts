/**
 * The executable's process: stdout kept for the report alone, a module's `process.exit()` and
 * late failures turned into clonecheck's own lines, a closed stdout (`| head`) ending the run
 * quietly, and the exit once the report is written even if the module left timers or servers open.
 */
import { resolve } from 'node:path';
import { EXIT, progress } from './exit.js';
import { lazy } from './lazy.js';
import { main } from './main.js';

/** The executable's entry (bin/clonecheck.js): runs `main` on the process and exits with its code. */
export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<never> {
  const stdout = process.stdout;
  const write = stdout.write.bind(stdout) as (text: string, done?: (error?: Error | null) => void) => boolean;
  // CLI-only: what the user's module prints goes to stderr, so that stdout is only the report (and
  // in JSON mode, only JSON).
  stdout.write = process.stderr.write.bind(process.stderr) as typeof stdout.write;
  const exit: (code: number) => never = process.exit.bind(process);
  await guardProcess(exit);

  const err = (text: string): void => void process.stderr.write(text);
  const out = (text: string): Promise<void> | void => {
    if (text === '') return;
    if (write(text)) return;
    return new Promise<void>((resolve) => stdout.once('drain', () => resolve()));
  };

  let code: number;
  try {
    code = await main(argv, { out, err, env: process.env, isTTY: stdout.isTTY === true, columns: stdout.columns, cwd: resolve('.') });
  } catch (error) {
    // A bug in clonecheck, not bad input: this one keeps its stack.
    err(`clonecheck: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    code = EXIT.error;
  }
  const { state } = await lazy<typeof import('./verify.js')>('./verify.js');
  if (state.sentForReal) {
    const { closeRoundTrip } = await lazy<typeof import('../verify/roundtrip.js')>('../verify/roundtrip.js');
    await closeRoundTrip().catch(() => undefined);
  }
  // Everything written is flushed before the exit.
  await new Promise<void>((resolve) => write('', () => resolve()));
  exit(code);
}

/** What the user's module can do to the process, each turned into clonecheck's own outcome. */
async function guardProcess(exit: (code: number) => never): Promise<void> {
  const err = (text: string): void => void process.stderr.write(text);
  // CLI-only: a module that calls process.exit() would end the run with its own exit code and no
  // report; make the call throw instead (clonecheck itself exits through `exit`).
  const { ModuleExit } = await lazy<typeof import('./load.js')>('./load.js');
  process.exit = ((code?: string | number | null) => {
    throw new ModuleExit(code);
  }) as typeof process.exit;

  // CLI-only: a reader that stops early (`clonecheck ... | head`) ends the run, quietly, with the
  // exit code so far.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') exit(progress.exitCode);
    err(`clonecheck: cannot write the report: ${error.message}\n`);
    exit(EXIT.error);
  });

  // The module's own asynchronous failures, as node would see them, without a stack trace.
  process.on('unhandledRejection', (reason) => err(`clonecheck: warning: a Promise rejected and nothing handled it: ${describeReason(reason)}\n`));
  process.on('uncaughtException', async (error) => {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') exit(progress.exitCode);
    const { state } = await lazy<typeof import('./verify.js')>('./verify.js');
    if (state.verifying !== undefined) {
      // Reality disagrees in the strongest way: the real send brought this process down.
      err(`clonecheck: --verify: sending ${state.verifying} for real crashed the sending process: ${describeReason(error)}\n`);
      exit(EXIT.failed);
    }
    // Which module: the file of the first stack frame in user code; without one (a thrown string),
    // the file clonecheck was loading or checking when it happened.
    const { describeThrown, thrownAt } = await lazy<typeof import('./load.js')>('./load.js');
    const cwd = resolve('.');
    const at = thrownAt(error, cwd);
    const who = at === undefined ? 'a module' : at.replace(/:\d+:\d+$/, '');
    const during = at === undefined && progress.file !== undefined ? `, during the check of ${progress.file}` : '';
    if (error instanceof ModuleExit) err(`clonecheck: ${who} called process.exit(${error.code ?? ''}) after loading${at ? ` (at ${at})` : during}\n`);
    else err(`clonecheck: ${who} threw outside of loading (from a timer or a callback${during}): ${describeThrown(error, cwd)}\n`);
    exit(EXIT.error);
  });
}

function describeReason(value: unknown): string {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return `${value.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${value.message.split('\n')[0]}`;
  }
  return typeof value === 'string' ? value : Object.prototype.toString.call(value);
}
