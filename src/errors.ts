import type { FindingCode } from './findings/codes.js';
import { SEVERITIES } from './findings/severity.js';
import { severityOfFinding } from './policy/index.js';
import { formatReport } from './report/index.js';
import type { Channel, Finding, Path } from './types.js';

export interface CloneCheckErrorOptions {
  /** Heading of the findings list under the first line (passed to `formatReport`). */
  readonly title?: string | undefined;
  /**
   * Where the send was made, as `file:line:column`; the first line ends with `, sent from <site>`.
   * @example new CloneCheckError(findings, { site: 'src/jobs.ts:12:5' })
   */
  readonly site?: string | undefined;
  /** The error behind this one, set as `cause` when given. */
  readonly cause?: unknown;
  /**
   * How many findings an ignore list set aside; the message ends with `3 ignored` when above 0.
   * @default 0
   */
  readonly ignored?: number | undefined;
}

/**
 * Thrown when a value would not arrive as sent. `findings` holds the evidence; `path`, `at`,
 * `channel` and `code` describe the first problem, which the message's first line names:
 *
 * ```text
 * Not cloneable for worker at $.job.onDone: A method (onDone) cannot be copied by structured clone, so the send throws. (FUNCTION_NOT_CLONEABLE)
 *
 * <every finding, with its path and hint>
 * ```
 */
export class CloneCheckError extends Error {
  declare readonly name: 'CloneCheckError';
  /** Every finding the error was made from, in the order given. */
  declare readonly findings: readonly Finding[];
  /** The path of the first problem (`[]` for the root, and when there are no findings). */
  readonly path: Path;
  /** The path of the first problem, for people: `$.job.onDone`. */
  readonly at: string;
  /** The channel of the first problem; `undefined` only when made from no findings. */
  readonly channel: Channel | undefined;
  /** The code of the first problem; `undefined` only when made from no findings. */
  readonly code: FindingCode | undefined;

  constructor(findings: readonly Finding[], options: CloneCheckErrorOptions = {}) {
    super(formatErrorMessage(findings, options), options.cause === undefined ? undefined : { cause: options.cause });
    const first = firstProblem(findings);
    // Not enumerable: the message already lists every finding, and test runners and
    // util.inspect print an error's enumerable properties after its stack.
    Object.defineProperty(this, 'findings', { value: Object.freeze([...findings]), configurable: true });
    this.path = first?.path ?? [];
    this.at = first?.at ?? '$';
    this.channel = first?.channel;
    this.code = first?.code;
  }
}

Object.defineProperty(CloneCheckError.prototype, 'name', { value: 'CloneCheckError', writable: true, configurable: true });

/** The first of the most serious findings (a throw before a loss before a reshape), else the first at all. */
function firstProblem(findings: readonly Finding[]): Finding | undefined {
  for (const level of SEVERITIES) {
    if (level === 'note') break;
    const found = findings.find((f) => severityOfFinding(f) === level);
    if (found !== undefined) return found;
  }
  return findings[0];
}

/**
 * The text of a `CloneCheckError`: one line naming the first problem and its path, then every
 * finding with its path and hint, without colour.
 */
export function formatErrorMessage(findings: readonly Finding[], options: CloneCheckErrorOptions = {}): string {
  const first = firstProblem(findings);
  const site = options.site === undefined ? '' : `, sent from ${options.site}`;
  if (first === undefined) return `Not cloneable (no findings were given)${site}`;
  const head = `Not cloneable for ${first.channel} at ${first.at}: ${first.message} (${first.code})${site}`;
  const ignored = options.ignored !== undefined && options.ignored > 0 ? `\n\n${options.ignored} ignored` : '';
  return `${head}\n\n${formatReport(findings, { color: false, title: options.title })}${ignored}`;
}
