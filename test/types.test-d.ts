// Type tests: checked by `npm run typecheck` (tsc -p tsconfig.json), not by `vitest run`.
import { expect, expectTypeOf } from 'vitest';
import '../src/vitest.js';
import { assertCloneable, type AssertOptions } from '../src/assert.js';
import { CloneCheckError } from '../src/errors.js';
import * as matchers from '../src/matchers.js';
import { toBeCloneable, type MatcherResult } from '../src/matchers.js';
import { check } from '../src/check/index.js';
import type { FindingArgsByCode, FindingCode } from '../src/findings/codes.js';
import type { Channel, CheckResult, Finding, Severity, Target } from '../src/types.js';

declare const msg: { type: 'job'; id: number };

// The vitest augmentation: the matcher exists, with and without .not, and takes the options.
expect(msg).toBeCloneable();
expect(msg).toBeCloneable({ channel: 'fork' });
expect(msg).not.toBeCloneable({ channels: ['worker', 'fork-advanced'], failOn: ['throws'] });
expect({ payload: msg }).toEqual({ payload: expect.toBeCloneable({ channel: 'worker' }) });

// @ts-expect-error: not a channel id
expect(msg).toBeCloneable({ channel: 'http' });
// @ts-expect-error: a misspelt option
expect(msg).toBeCloneable({ chanel: 'fork' });
// @ts-expect-error: channels is a list
expect(msg).toBeCloneable({ channels: 'fork' });
// @ts-expect-error: not an effect
expect(msg).toBeCloneable({ failOn: ['throw'] });
// @ts-expect-error: options are an object, not a channel id
expect(msg).toBeCloneable('fork');

// assertCloneable
expectTypeOf(assertCloneable).returns.toEqualTypeOf<void>();
expectTypeOf<AssertOptions['channel']>().toEqualTypeOf<Channel | undefined>();
assertCloneable(msg, { channel: 'worker', transferList: [] });
// @ts-expect-error: not a channel id
assertCloneable(msg, { channel: 'child_process' });

// CloneCheckError
const e = new CloneCheckError([], { site: 'src/a.ts:1:1', title: 't', cause: new Error('x') });
expectTypeOf(e).toExtend<Error>();
expectTypeOf(e.name).toEqualTypeOf<'CloneCheckError'>();
expectTypeOf(e.findings).toEqualTypeOf<readonly Finding[]>();
expectTypeOf(e.channel).toEqualTypeOf<Channel | undefined>();
expectTypeOf(e.code).toEqualTypeOf<FindingCode | undefined>();
expectTypeOf(e.at).toEqualTypeOf<string>();

// The framework-free matcher fits Jest's and Vitest's expect.extend.
expectTypeOf(toBeCloneable.call(undefined, msg)).toEqualTypeOf<MatcherResult>();
expect.extend(matchers);

// check(): the five channel ids, targets, ignore; the result declares all it carries.
expectTypeOf<Channel>().toEqualTypeOf<'worker' | 'fork' | 'fork-advanced' | 'json' | 'v8'>();
expectTypeOf<Target>().toEqualTypeOf<'node20' | 'node22' | 'node24' | 'node26'>();
expectTypeOf(check(msg, { channels: ['json', 'v8'], target: 'node22', ignore: ['$.meta.**'] })).toEqualTypeOf<CheckResult>();
expectTypeOf<CheckResult['lossless']>().toEqualTypeOf<Readonly<Partial<Record<Channel, boolean>>>>();
expectTypeOf<CheckResult['ignored']>().toEqualTypeOf<Finding[]>();
expectTypeOf<CheckResult['internalError']>().toEqualTypeOf<unknown>();
expectTypeOf<Finding['severity']>().toEqualTypeOf<Severity>();
// @ts-expect-error: not a target
check(msg, { target: 'node18' });
// @ts-expect-error: a misspelt option
check(msg, { chanels: ['fork'] });

// Typed args per code: plain data, no sentence fragments.
expectTypeOf<FindingArgsByCode['PROTOTYPE_LOST']['methods']>().toEqualTypeOf<readonly string[]>();
expectTypeOf<FindingArgsByCode['PROTOTYPE_LOST']['className']>().toEqualTypeOf<string | undefined>();
expectTypeOf<FindingArgsByCode['MESSAGE_SWALLOWED']>().toEqualTypeOf<{ readonly cmd: string }>();
expectTypeOf<keyof FindingArgsByCode>().toEqualTypeOf<FindingCode>();
