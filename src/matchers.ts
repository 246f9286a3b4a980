import { judge, type AssertOptions } from './assert.js';
import { formatErrorMessage } from './errors.js';
import { formatReport } from './report/index.js';
import type { FailOn } from './policy/index.js';
import type { Channel } from './types.js';

/** The options of `toBeCloneable`: those of `assertCloneable`. */
export type ToBeCloneableOptions = AssertOptions;

/**
 * The part of a matcher's `this` that `toBeCloneable` reads. Vitest's and Jest's `expect.extend`
 * both provide it; without one (a plain call), the matcher still works.
 */
export interface MatcherContextLike {
  readonly isNot?: boolean | undefined;
  readonly promise?: string | undefined;
  readonly utils?:
    | {
        matcherHint?(matcherName: string, received?: string, expected?: string, options?: { isNot?: boolean; promise?: string }): string;
      }
    | undefined;
}

export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

/**
 * Passes when nothing of `received` would throw or be lost on the channels asked (all three by
 * default); a reshape (a frozen object arriving unfrozen, ...) passes unless `strict: true`.
 * Its failure message names the first problem, then lists every finding with its path and hint.
 *
 * Framework-free: register it with `expect.extend(require('clonecheck/matchers'))` in Jest, or import
 * `clonecheck/vitest` in Vitest.
 *
 * @example expect({ when: new Date() }).not.toBeCloneable({ channel: 'fork' })
 */
export function toBeCloneable(this: MatcherContextLike | undefined, received: unknown, options?: ToBeCloneableOptions): MatcherResult {
  const isNot = this?.isNot === true;
  const promise = this?.promise ?? '';
  const { channels, findings, failures, ignored, failOn } = judge(received, options, 'toBeCloneable');
  const pass = failures.length === 0;
  const expected = options === undefined ? '' : 'options';
  const hint =
    this?.utils?.matcherHint?.('toBeCloneable', 'received', expected, { isNot, promise }) ??
    `expect(received)${promise ? `.${promise}` : ''}${isNot ? '.not' : ''}.toBeCloneable(${expected})`;

  return {
    pass,
    message: () => {
      if (!pass) return `${hint}\n\n${formatErrorMessage(failures, { ignored: ignored.length })}`;
      // Only reached under `.not`: the value was expected to lose something, and does not.
      let text = `${hint}\n\nExpected the value to fail on ${listChannels(channels)}, but ${passWords(failOn)}.`;
      if (findings.length > 0) text += `\n\n${formatReport(findings, { color: false })}`;
      if (ignored.length > 0) text += `\n\n${ignored.length} ignored`;
      return text;
    },
  };
}

// This module exports matcher functions only (types aside), so that the module itself is what
// `expect.extend` takes: `expect.extend(require('clonecheck/matchers'))`, or
// `import * as matchers from 'clonecheck/matchers'; expect.extend(matchers)`.

/** Why a value passed, in the words of its fail level. */
function passWords(failOn: FailOn): string {
  if (typeof failOn !== 'string') return `nothing it has is ${failOn.join(', ')}`;
  switch (failOn) {
    case 'throw':
      return 'nothing would throw';
    case 'loss':
      return 'nothing would throw or be lost';
    case 'reshape':
      return 'it arrives as sent';
    case 'note':
      return 'it arrives as sent, with nothing to note';
  }
}

function listChannels(channels: readonly Channel[]): string {
  return channels.length === 1 ? channels[0]! : `${channels.slice(0, -1).join(', ')} and ${channels.at(-1)!}`;
}
