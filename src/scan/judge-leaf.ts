// Values with no parts: undefined, bigint, symbol and functions, inside a value or as the whole
// message of a send (where each channel module's top-level rules apply).
import { channelInfo, type RootKind } from '../channels/index.js';
import type { FindingCode } from '../findings/codes.js';
import { onChannel, onEvery, onJson, onV8, type JudgeContext, type On, type Place } from './judge-context.js';

/** How a function reads in a finding: `function`, `arrow function`, `method`, with its property name when it has one. */
export interface FunctionFacts {
  readonly type: string;
  readonly name?: string;
}

export function judgeLeaf(cx: JudgeContext, kind: RootKind, place: Place, fn: FunctionFacts = { type: kind }): void {
  if (place === 'root' && cx.options.root === 'message') return judgeRoot(cx, kind, fn);
  inValue(cx, kind, place, fn, onEvery);
}

/** The rules for a value inside a message, on the channels `only` holds for. */
function inValue(cx: JudgeContext, kind: RootKind, place: Place, fn: FunctionFacts, only: On): void {
  const json: On = (c) => only(c) && onJson(c);
  const v8: On = (c) => only(c) && onV8(c);
  switch (kind) {
    case 'undefined':
      return jsonLoss(cx, place, 'UNDEFINED_DROPPED', { type: 'undefined' }, json);
    case 'bigint':
      return cx.emit('BIGINT_NOT_JSON', json, { type: 'bigint' });
    case 'symbol':
      cx.emit('SYMBOL_NOT_CLONEABLE', v8, { type: 'symbol' });
      return jsonLoss(cx, place, 'SYMBOL_VALUE_DROPPED', { type: 'symbol' }, json);
    case 'function':
      cx.emit('FUNCTION_NOT_CLONEABLE', v8, fn);
      return jsonLoss(cx, place, 'FUNCTION_DROPPED', fn, json);
  }
}

/**
 * The whole message of a send: each channel's own top-level rule (`root` of its module) for this
 * kind, or, where it has none, the rule for the same value inside a message (as check() does).
 */
function judgeRoot(cx: JudgeContext, kind: RootKind, fn: FunctionFacts): void {
  for (const channel of cx.options.channels) {
    const code: FindingCode | undefined = channelInfo(channel).root[kind];
    const on = onChannel(channel);
    if (code === undefined) {
      inValue(cx, kind, 'root', fn, on);
      continue;
    }
    switch (code) {
      case 'FUNCTION_NOT_CLONEABLE':
        cx.emit(code, on, fn);
        break;
      case 'SEND_REFUSES_VALUE':
      case 'SYMBOL_NOT_CLONEABLE':
      case 'BIGINT_NOT_JSON':
        cx.emit(code, on, { type: kind });
        break;
      case 'TOP_LEVEL_DROPPED':
        cx.emit(code, on, { type: kind === 'function' ? fn.type : kind });
        break;
      default:
        // A top-level rule the scan does not know the arguments of: judged as inside a value.
        cx.emit(code, on, { type: kind } as never);
    }
  }
}

/** What JSON does with a value it cannot write: drops the key, writes null in an array; a Map or Set entry is lost already. */
function jsonLoss(
  cx: JudgeContext,
  place: Place,
  code: 'UNDEFINED_DROPPED' | 'SYMBOL_VALUE_DROPPED' | 'FUNCTION_DROPPED',
  args: FunctionFacts,
  json: On,
): void {
  if (place === 'element') cx.emit('ARRAY_ELEMENT_BECOMES_NULL', json, { type: args.type });
  else if (place !== 'entry') cx.emit(code, json, args);
}
