// The in-process inspector, used synchronously: on Node 20+ a `Session` connected to its own
// thread answers `post()` before it returns. Every failure (no inspector in this runtime, a session
// that cannot connect, an answer that does not come at once, a protocol error) turns the inspector
// off for good or for the one lookup, and callers fall back to what they know without it.
import { createRequire } from 'node:module';
import * as I from './intrinsics.js';
import type { ScriptInfo } from './source-map.js';

type Session = {
  connect(): void;
  disconnect(): void;
  post(method: string, params: object, callback: (error: Error | null, result?: unknown) => void): void;
  on(event: string, listener: (message: { params: unknown }) => void): unknown;
};

export interface RemoteObject {
  readonly type: string;
  readonly subtype?: string;
  readonly className?: string;
  readonly description?: string;
  readonly objectId?: string;
  readonly value?: unknown;
}
export interface PropertyDescriptor {
  readonly name: string;
  readonly value?: RemoteObject;
}
export interface Properties {
  readonly result: readonly PropertyDescriptor[];
  readonly internalProperties?: readonly PropertyDescriptor[];
}

/** The object group every remote object of a lookup belongs to, released when the lookup ends. */
export const GROUP = 'clonecheck-origin';
const HOLDER_GROUP = 'clonecheck-origin-holder';

let state: 'new' | 'ready' | 'off' = 'new';
let session: Session | undefined;
let holder: Record<string, unknown> | undefined;
let holderId: string | undefined;
const scripts = new Map<string, ScriptInfo>();

/** Turns the inspector off (for tests and for users who do not want it); `true` turns it back on. */
export function setInspectorEnabled(enabled: boolean): void {
  if (!enabled) {
    if (session) {
      try {
        session.disconnect();
      } catch {
        // already gone
      }
    }
    session = undefined;
    holder = undefined;
    holderId = undefined;
    state = 'off';
    disabledByUser = true;
  } else if (state === 'off' && disabledByUser) {
    disabledByUser = false;
    state = 'new';
  }
}
let disabledByUser = false;

type SessionFactory = () => Session;
let sessionFactory: SessionFactory | undefined;

/**
 * For tests: the next connection uses `factory` instead of `node:inspector` (a runtime without an
 * inspector, a session that cannot connect or answers late). `undefined` restores the real one.
 * Resets the connection either way.
 * @internal
 */
export function setSessionFactoryForTesting(factory: SessionFactory | undefined): void {
  setInspectorEnabled(false);
  sessionFactory = factory;
  setInspectorEnabled(true);
}

/** Whether lookups through the inspector work here (connects on first use). */
export function inspectorAvailable(): boolean {
  return connect();
}

function connect(): boolean {
  if (state === 'ready') return true;
  if (state === 'off') return false;
  state = 'off';
  try {
    let s: Session;
    if (sessionFactory) {
      s = sessionFactory();
    } else {
      const require = createRequire(import.meta.url);
      const inspector = require('node:inspector') as { Session: new () => Session };
      s = new inspector.Session();
    }
    s.connect();
    session = s;
    s.on('Debugger.scriptParsed', (message) => {
      const p = message.params as { scriptId?: unknown; url?: unknown; sourceMapURL?: unknown };
      if (typeof p.scriptId === 'string' && typeof p.url === 'string') {
        const map = typeof p.sourceMapURL === 'string' ? p.sourceMapURL : '';
        // An inline map can be megabytes: kept only for the scripts asked about now.
        const keep = map.length <= MAX_KEPT_MAP || wanted.has(p.scriptId);
        scripts.set(p.scriptId, { url: p.url, sourceMapURL: keep ? map : '', ...(keep ? {} : { mapDropped: true }) });
      }
    });
    // A null-prototype holder, made reachable to the inspector once through a hidden global, then
    // kept by its remote id: lookups put functions in it without touching the global again.
    const h = I.objectCreate(null) as Record<string, unknown>;
    const key = '__clonecheckOriginHolder';
    if (!I.defineProperty(I.realGlobal, key, { value: h, configurable: true, enumerable: false, writable: false })) return false;
    let evaluated: { result?: RemoteObject };
    try {
      evaluated = post('Runtime.evaluate', { expression: `this["${key}"]`, objectGroup: HOLDER_GROUP, silent: true, includeCommandLineAPI: false }) as {
        result?: RemoteObject;
      };
    } finally {
      I.deleteProperty(I.realGlobal, key);
    }
    if (evaluated.result?.objectId === undefined) return false;
    holder = h;
    holderId = evaluated.result.objectId;
    state = 'ready';
    return true;
  } catch {
    try {
      session?.disconnect();
    } catch {
      // nothing to undo
    }
    session = undefined;
    return false;
  }
}

/** One protocol call, answered before it returns, or an Error. */
export function post(method: string, params: object): unknown {
  if (!session) throw new Error('no inspector session');
  let done = false;
  let error: Error | null = null;
  let result: unknown;
  session.post(method, params, (e, r) => {
    done = true;
    error = e;
    result = r;
  });
  if (!done) {
    // The answer would come later: this runtime's inspector is not synchronous. Never wait for it.
    state = 'off';
    throw new Error(`inspector answered ${method} asynchronously`);
  }
  if (error) throw error;
  return result;
}

/**
 * Hands `values` to the inspector and returns their remote ids, in order. The holder is emptied
 * again in `release()`.
 */
export function remoteIds(values: readonly unknown[]): (string | undefined)[] {
  const ids: (string | undefined)[] = [];
  for (let i = 0; i < values.length; i++) ids.push(undefined);
  if (!connect() || !holder || holderId === undefined) return ids;
  for (let i = 0; i < values.length; i++) holder[`f${i}`] = values[i];
  // A handle on the holder in this lookup's group, so that the functions' remote objects belong to
  // it too and are let go in release().
  const self = post('Runtime.callFunctionOn', {
    objectId: holderId,
    functionDeclaration: 'function () { return this; }',
    objectGroup: GROUP,
    silent: true,
  }) as {
    result?: RemoteObject;
  };
  const id = self.result?.objectId;
  if (id === undefined) return ids;
  const props = post('Runtime.getProperties', { objectId: id, ownProperties: true, generatePreview: false }) as Properties;
  for (const p of props.result) {
    const m = I.regexpExec(/^f(\d+)$/, p.name);
    if (m) ids[+m[1]!] = p.value?.objectId;
  }
  return ids;
}

/** Reads the materialised scope objects behind `scopeIds` (entries of a `[[Scopes]]` list) into JS. */
export function scopeObjects(scopeIds: readonly string[]): (object | undefined)[] {
  if (scopeIds.length === 0 || !holder || holderId === undefined) return [];
  // Our own code, run on our own null-prototype holder: it reads each scope entry's own `object`
  // (the inspector's materialised scope) and stores it; no user code is reachable from here.
  post('Runtime.callFunctionOn', {
    objectId: holderId,
    functionDeclaration: 'function (...scopes) { for (let i = 0; i < scopes.length; i++) this["s" + i] = scopes[i].object; }',
    arguments: scopeIds.map((objectId) => ({ objectId })),
    silent: true,
    returnByValue: false,
    objectGroup: GROUP,
  });
  const out: (object | undefined)[] = [];
  for (let i = 0; i < scopeIds.length; i++) {
    const d = I.getOwnPropertyDescriptor(holder, `s${i}`);
    const v = d && 'value' in d ? (d.value as unknown) : undefined;
    out.push(typeof v === 'object' && v !== null ? v : undefined);
  }
  return out;
}

/** The URL and declared source map of a script, refreshing the list of scripts when it is new. */
export function scriptInfo(scriptId: string, needMap = false): ScriptInfo | undefined {
  const known = scripts.get(scriptId);
  if (known && !(needMap && known.mapDropped)) return known;
  // A script the debugger did not report when last asked is not asked about again.
  if (unreported.has(scriptId)) return undefined;
  wanted.add(scriptId);
  // Debugger.enable reports every script parsed so far, synchronously; it is turned off at once
  // so that the program runs on without a debugger attached.
  try {
    post('Debugger.enable', {});
  } finally {
    try {
      post('Debugger.disable', {});
    } catch {
      // nothing to undo
    }
    wanted.delete(scriptId);
  }
  const found = scripts.get(scriptId);
  if (!found) unreported.add(scriptId);
  return found;
}
const unreported = new Set<string>();
const wanted = new Set<string>();
const MAX_KEPT_MAP = 4096;

/** Lets go of every remote object of this lookup and empties the holder. */
export function release(): void {
  if (holder) for (const k of I.ownKeys(holder)) I.deleteProperty(holder, k);
  try {
    if (state === 'ready') post('Runtime.releaseObjectGroup', { objectGroup: GROUP });
  } catch {
    // the session is gone; nothing is held
  }
}
