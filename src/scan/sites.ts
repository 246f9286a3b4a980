import { dirname, resolve } from 'node:path';
import type * as TS from 'typescript';
import { CHANNEL_DEFINITIONS, IPC_CHANNELS, channelOfSerialization, channelsOfSend } from '../channels/index.js';
import type { Channel } from '../types.js';
import { taskResult } from './pools.js';
import { Tags } from './tags.js';
import type { TypeScript } from './typescript.js';

/** A place in the source that sends a value across a thread or process boundary. */
export interface SendSite {
  /** What is sent, as people call it: `worker.postMessage()`, `new Worker() workerData`, `sendJob() job`. */
  readonly api: string;
  readonly file: string;
  /** 1-based, where Node's stack trace puts the call: the method name, or `new`. */
  readonly line: number;
  readonly column: number;
  /** The channels the value crosses, as far as the code tells. */
  readonly channels: readonly Channel[];
  /** What the reader should know: why the channels are a guess (`the child's serialization is not known`), which parameter a tag checks. */
  readonly note?: string;
  /** `'message'`: the top-level rules of `send()`/`postMessage()` apply; `'value'`: a value inside one. */
  readonly root: 'message' | 'value';
  /** The expression whose type is sent, or the type when only a property of an argument is (`workerData`). */
  readonly value: TS.Expression | { readonly valueType: TS.Type };
  /** The type names the send's transferList holds (`MessagePort`, `ArrayBuffer`), when it has one. */
  readonly transfers?: readonly string[];
  /** Reported only when its channels are asked for by name (`JSON.stringify()`, which most code calls for logs and bodies). */
  readonly optIn?: boolean;
}

/**
 * The sends whose value the scan reads, by member name: which argument is sent, whether the send's
 * top-level rules apply (`'message'`) and whether the next argument is a transferList. Which channels
 * each one writes with is the channel registry's (`channelsOfSend`), by its `module:Owner.member`.
 */
const VALUE_SENDS: Readonly<Record<string, { readonly root: 'message' | 'value'; readonly transfer: boolean; readonly optIn?: boolean }>> = {
  postMessage: { root: 'message', transfer: true },
  structuredClone: { root: 'value', transfer: true },
  serialize: { root: 'value', transfer: false },
  writeValue: { root: 'value', transfer: false },
  run: { root: 'value', transfer: false },
  // Whatever JSON.stringify() is given is the whole document: the top-level rules of its channel apply.
  stringify: { root: 'message', transfer: false, optIn: true },
};

/** `new Worker(file, { workerData })`: the option a constructor sends, as the registry names it (`worker_threads:Worker.workerData`). */
const SENT_OPTION = 'workerData';

/** The names of the sends the scan knows (and `Worker` for `new Worker()`). */
const SEND_NAMES: ReadonlySet<string> = new Set(['Worker', 'send', ...Object.keys(VALUE_SENDS)]);
/** The calls that start a child whose `serialization` option says how it serializes, as `module:Owner.member`. */
const FORK_CALL = 'child_process:.fork';
const SPAWN_CALLS: ReadonlySet<string> = new Set([FORK_CALL, 'child_process:.spawn']);
/** Worker pools: the classes whose `run()` a channel module lists as a send (`piscina:Piscina.run`). */
const POOL_CLASSES: ReadonlySet<string> = new Set(
  CHANNEL_DEFINITIONS.flatMap((d) => d.sends ?? [])
    .map((send) => /^[^:]+:(\w+)\.run$/.exec(send)?.[1])
    .filter((owner): owner is string => owner !== undefined),
);
/** The calls that say where a child or a pool's worker comes from and how it serializes, by name. */
const ORIGIN_NAMES: ReadonlySet<string> = new Set([
  ...[...SPAWN_CALLS].map((n) => n.slice(n.lastIndexOf('.') + 1)),
  'setupPrimary',
  'setupMaster',
  ...POOL_CLASSES,
]);

/**
 * The IPC sends (the registry's `IPC_SENDS`): their channel is the child's serialization, which the
 * scan learns for each from a different place.
 */
const CHILD_SEND = 'child_process:ChildProcess.send';
const PROCESS_SEND = 'process:Process.send';
const CLUSTER_SEND = 'cluster:Worker.send';

/** What the scan says when it cannot tell which IPC channel a send writes with. */
const BOTH_IPC = `judged for ${IPC_CHANNELS.join(' and ')}`;

/** Where a declaration comes from: a Node module (`worker_threads`), `lib` (TypeScript's DOM/ES libs), a package, or the user's code. */
function moduleOf(ts: TypeScript, decl: TS.Node): string {
  const file = decl.getSourceFile().fileName.replaceAll('\\', '/');
  for (let n: TS.Node | undefined = decl; n; n = n.parent) {
    if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) return n.name.text.replace(/^node:/, '');
  }
  const node = /\/node_modules\/@types\/node\/(?:ts[\d.]+\/)?([\w/]+)\.d\.ts$/.exec(file);
  if (node) return node[1]!;
  if (/\/typescript\/lib\/lib\.[^/]*\.d\.ts$/.test(file)) return 'lib';
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file) ?? /\/(piscina|tinypool)\/[^/]*\.d\.ts$/.exec(file);
  if (pkg) return pkg[1]!;
  return '';
}

function containerName(ts: TypeScript, decl: TS.Node): string {
  const parent = decl.parent;
  if (parent && (ts.isClassDeclaration(parent) || ts.isInterfaceDeclaration(parent)) && parent.name) return parent.name.text;
  return '';
}

function declName(ts: TypeScript, decl: TS.Node): string {
  const name = (decl as { name?: TS.Node }).name;
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : '';
}

function unwrap(ts: TypeScript, e: TS.Expression): TS.Expression {
  for (;;) {
    if (
      ts.isParenthesizedExpression(e) ||
      ts.isAsExpression(e) ||
      ts.isNonNullExpression(e) ||
      ts.isAwaitExpression(e) ||
      ts.isSatisfiesExpression(e) ||
      ts.isTypeAssertionExpression(e)
    )
      e = e.expression;
    else return e;
  }
}

/**
 * Finds the send sites of a program by symbol: the type checker resolves what each call calls, so
 * only Node's (and piscina's, tinypool's, the DOM's) own functions count, plus the user's functions
 * whose parameter carries a `@clonecheck <channel>` JSDoc tag.
 */
export class SiteFinder {
  /** Forked children: the module file (without extension) → the channels its `fork()` calls give it. */
  private readonly forkedFiles = new Map<string, Set<Channel>>();
  /** Pools' task modules: the module file (without extension) → the channels of the pool's run(). */
  private readonly poolFiles = new Map<string, readonly Channel[]>();
  private clusterChannels: readonly Channel[] = [channelOfSerialization(undefined)];
  private clusterNote: string | undefined;
  /** The `@clonecheck` tags of the program. */
  readonly tags: Tags;

  constructor(
    private readonly ts: TypeScript,
    private readonly checker: TS.TypeChecker,
    private readonly program: TS.Program,
    private readonly cwd: string,
  ) {
    this.tags = new Tags(ts, program);
    this.learnOrigins();
  }

  sitesOf(file: TS.SourceFile): SendSite[] {
    const ts = this.ts;
    const out: SendSite[] = [];
    const names = this.candidateNames(file, SEND_NAMES);
    const visit = (node: TS.Node): void => {
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && this.mayBe(node, names)) {
        try {
          out.push(...this.sitesOfCall(node));
        } catch {
          // a construct the checker cannot resolve: not a site we can read
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    const pool = this.poolFiles.get(stripExtension(file.fileName));
    const result = pool && taskResult(ts, this.checker, file);
    if (pool && result) {
      const { line, character } = file.getLineAndCharacterOfPosition(result.node.getStart());
      out.push({
        api: result.api,
        file: file.fileName,
        line: line + 1,
        column: character + 1,
        channels: pool,
        root: 'value',
        value: { valueType: result.valueType },
      });
    }
    return out;
  }

  /**
   * The callee names worth asking the type checker about in a file: resolving every call of a
   * project is a full type check, so calls are first filtered by name. Names that `import { x as y }`
   * binds count under both names; functions tagged `@clonecheck` anywhere in the project are added.
   */
  private candidateNames(file: TS.SourceFile, base: ReadonlySet<string>): Set<string> {
    const ts = this.ts;
    const names = new Set([...base, ...this.tags.names]);
    for (const statement of file.statements) {
      if (!ts.isImportDeclaration(statement)) continue;
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const el of bindings.elements) if (names.has((el.propertyName ?? el.name).text)) names.add(el.name.text);
      }
    }
    return names;
  }

  private mayBe(call: TS.CallExpression | TS.NewExpression, names: ReadonlySet<string>): boolean {
    const ts = this.ts;
    let callee: TS.Expression = call.expression;
    while (ts.isParenthesizedExpression(callee) || ts.isNonNullExpression(callee)) callee = callee.expression;
    if (ts.isIdentifier(callee)) return names.has(callee.text);
    if (ts.isPropertyAccessExpression(callee)) return names.has(callee.name.text);
    if (ts.isElementAccessExpression(callee) && ts.isStringLiteralLike(callee.argumentExpression)) return names.has(callee.argumentExpression.text);
    return true;
  }

  private declarationOf(call: TS.CallExpression | TS.NewExpression): TS.Declaration | undefined {
    const signature = this.checker.getResolvedSignature(call);
    return signature?.getDeclaration() ?? undefined;
  }

  private sitesOfCall(call: TS.CallExpression | TS.NewExpression): SendSite[] {
    const ts = this.ts;
    const decl = this.declarationOf(call);
    if (!decl) return [];
    const mod = moduleOf(ts, decl);
    const owner = containerName(ts, decl);
    const name = declName(ts, decl);
    const args = call.arguments ?? ts.factory.createNodeArray<TS.Expression>();
    const callee = call.expression;
    const calleeText = callee.getText().replace(/\s+/g, '');
    const position = ts.isNewExpression(call) ? call.getStart() : ts.isPropertyAccessExpression(callee) ? callee.name.getStart() : callee.getStart();
    const { line, character } = call.getSourceFile().getLineAndCharacterOfPosition(position);
    const at = { file: call.getSourceFile().fileName, line: line + 1, column: character + 1 };
    const site = (
      api: string,
      channels: readonly Channel[],
      value: SendSite['value'] | undefined,
      root: 'message' | 'value',
      note?: string,
      transfer?: SendSite['value'],
    ): SendSite[] => {
      const transfers = transfer ? this.transferNames(transfer) : undefined;
      return value ? [{ api, ...at, channels, root, value, ...(note ? { note } : {}), ...(transfers ? { transfers } : {}) }] : [];
    };

    // new Worker(file, { workerData }) from worker_threads
    if (ts.isNewExpression(call)) {
      const channels = channelsOfSend(`${mod}:${owner}.${SENT_OPTION}`);
      const options = args[1];
      if (channels.length === 0 || !options) return [];
      const sent = this.propertyOf(options, SENT_OPTION);
      return site(`new ${calleeText}() ${SENT_OPTION}`, channels, sent, 'value', undefined, this.propertyOf(options, 'transferList'));
    }
    if (!ts.isCallExpression(call)) return [];

    const send = `${mod}:${owner}.${name}`;
    const reader = VALUE_SENDS[name];
    const channels = reader ? channelsOfSend(send) : [];
    if (reader && channels.length > 0) {
      const replacer = reader.optIn && args[1] && !isNullish(ts, args[1]);
      const found = site(
        `${calleeText}()`,
        channels,
        args[0],
        reader.root,
        replacer ? 'a replacer may write some values otherwise than judged here' : undefined,
        reader.transfer ? this.transferArgument(args[1]) : undefined,
      );
      return reader.optIn ? found.map((f) => ({ ...f, optIn: true })) : found;
    }
    if (send === CHILD_SEND) {
      const origin = ts.isPropertyAccessExpression(callee) ? this.childChannels(callee.expression) : undefined;
      return site(
        `${calleeText}()`,
        origin ?? IPC_CHANNELS,
        args[0],
        'message',
        origin ? undefined : `the child's serialization is not known here: ${BOTH_IPC}`,
      );
    }
    if (send === PROCESS_SEND) {
      const forked = this.forkedFiles.get(stripExtension(call.getSourceFile().fileName));
      const channels = forked ? [...forked] : IPC_CHANNELS;
      return site(`${calleeText}()`, channels, args[0], 'message', forked ? undefined : `no fork() of this file was found: ${BOTH_IPC}`);
    }
    if (send === CLUSTER_SEND) return site(`${calleeText}()`, this.clusterChannels, args[0], 'message', this.clusterNote);

    // A user's own boundary: a parameter tagged @clonecheck <channel>.
    const out: SendSite[] = [];
    for (const tagged of this.tags.parametersOf(decl)) {
      const arg = args[tagged.index];
      if (arg) out.push(...site(`${calleeText}() ${tagged.name}`, tagged.channels, arg, 'message', tagged.note));
    }
    return out;
  }

  /** `postMessage(value, [port])` or `postMessage(value, { transfer: [port] })`. */
  private transferArgument(arg: TS.Expression | undefined): SendSite['value'] | undefined {
    if (!arg) return undefined;
    const e = unwrap(this.ts, arg);
    if (this.ts.isArrayLiteralExpression(e) || this.checker.isArrayLikeType(this.checker.getTypeAtLocation(e))) return e;
    return this.propertyOf(e, 'transfer');
  }

  /** The names of the types a transferList holds. */
  private transferNames(list: SendSite['value']): string[] {
    const ts = this.ts;
    const names = new Set<string>();
    const add = (t: TS.Type): void => {
      for (const member of t.isUnion() ? t.types : [t]) {
        const n = (member.getSymbol() ?? member.aliasSymbol)?.getName();
        if (n) names.add(n);
      }
    };
    if (!('valueType' in list) && ts.isArrayLiteralExpression(unwrap(ts, list))) {
      for (const el of (unwrap(ts, list) as TS.ArrayLiteralExpression).elements) add(this.checker.getTypeAtLocation(el));
    } else {
      const type = 'valueType' in list ? list.valueType : this.checker.getTypeAtLocation(list);
      const element = this.checker.getIndexTypeOfType(type, ts.IndexKind.Number);
      if (element) add(element);
    }
    return [...names];
  }

  /** `{ workerData: x }` → x; an options value of another form → the type of its property. */
  private propertyOf(options: TS.Expression, key: string): SendSite['value'] | undefined {
    const ts = this.ts;
    const e = unwrap(ts, options);
    if (ts.isObjectLiteralExpression(e)) {
      for (const p of e.properties) {
        if (ts.isPropertyAssignment(p) && propertyKey(ts, p.name) === key) return p.initializer;
        if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
      }
      if (!e.properties.some((p) => ts.isSpreadAssignment(p))) return undefined;
    }
    const type = this.checker.getTypeAtLocation(e);
    const prop = this.checker.getPropertyOfType(type, key);
    return prop ? { valueType: this.checker.getTypeOfSymbol(prop) } : undefined;
  }

  /** The channels of `child.send()`, from the `fork()`/`spawn()` call that made `child`, when it can be followed. */
  private childChannels(receiver: TS.Expression): Channel[] | undefined {
    const ts = this.ts;
    let symbol = this.checker.getSymbolAtLocation(unwrap(ts, receiver));
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const decl = symbol?.valueDeclaration;
    if (!decl) return undefined;
    const init = (ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer ? unwrap(ts, decl.initializer) : undefined;
    if (!init || !ts.isCallExpression(init)) return undefined;
    return this.spawnChannels(init);
  }

  private spawnChannels(call: TS.CallExpression): Channel[] | undefined {
    const ts = this.ts;
    const decl = this.declarationOf(call);
    if (!decl || !SPAWN_CALLS.has(`${moduleOf(ts, decl)}:${containerName(ts, decl)}.${declName(ts, decl)}`)) return undefined;
    const options = [...call.arguments].reverse().find((a) => {
      const e = unwrap(ts, a);
      return (
        ts.isObjectLiteralExpression(e) ||
        (!ts.isArrayLiteralExpression(e) &&
          !ts.isStringLiteralLike(e) &&
          this.checker.getPropertyOfType(this.checker.getTypeAtLocation(e), 'serialization') !== undefined)
      );
    });
    const value = options && this.propertyOf(options, 'serialization');
    if (value === undefined) return [channelOfSerialization(undefined)];
    const type = 'valueType' in value ? value.valueType : this.checker.getTypeAtLocation(value);
    return type.isStringLiteral() ? [channelOfSerialization(type.value)] : undefined;
  }

  /** A pass over the program: which files are forked with which serialization, and cluster's setting. */
  private learnOrigins(): void {
    const ts = this.ts;
    const clusterSettings = new Set<Channel>();
    let clusterUnknown = false;
    for (const file of this.program.getSourceFiles()) {
      if (file.isDeclarationFile || file.fileName.includes('/node_modules/')) continue;
      const names = this.candidateNames(file, ORIGIN_NAMES);
      const visit = (node: TS.Node): void => {
        if (ts.isNewExpression(node) && this.mayBe(node, names)) this.learnPool(node, file);
        if (ts.isCallExpression(node) && this.mayBe(node, names)) {
          try {
            const decl = this.declarationOf(node);
            const mod = decl ? moduleOf(ts, decl) : '';
            const name = decl ? declName(ts, decl) : '';
            if (decl && `${mod}:${containerName(ts, decl)}.${name}` === FORK_CALL && node.arguments[0]) {
              const target = this.modulePath(node.arguments[0], file.fileName);
              if (target) {
                const channels = this.spawnChannels(node) ?? IPC_CHANNELS;
                const set = this.forkedFiles.get(target) ?? new Set<Channel>();
                for (const c of channels) set.add(c);
                this.forkedFiles.set(target, set);
              }
            }
            if (mod === 'cluster' && (name === 'setupPrimary' || name === 'setupMaster') && node.arguments[0]) {
              const value = this.propertyOf(node.arguments[0], 'serialization');
              if (value !== undefined) {
                const type = 'valueType' in value ? value.valueType : this.checker.getTypeAtLocation(value);
                if (type.isStringLiteral()) clusterSettings.add(channelOfSerialization(type.value));
                else clusterUnknown = true;
              }
            }
          } catch {
            // not readable: leave it
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
    }
    if (clusterUnknown) {
      this.clusterChannels = IPC_CHANNELS;
      this.clusterNote = `cluster's serialization is not a literal: ${BOTH_IPC}`;
    } else if (clusterSettings.size > 0) {
      this.clusterChannels = [...clusterSettings];
    }
  }

  /** `new Piscina({ filename })`: the task module's return value goes back by the channels of the pool's run(). */
  private learnPool(call: TS.NewExpression, file: TS.SourceFile): void {
    const ts = this.ts;
    try {
      const decl = this.declarationOf(call);
      if (!decl) return;
      const channels = channelsOfSend(`${moduleOf(ts, decl)}:${containerName(ts, decl)}.run`);
      const filename = channels.length > 0 && call.arguments?.[0] ? this.propertyOf(call.arguments[0], 'filename') : undefined;
      const target = filename && !('valueType' in filename) ? this.modulePath(filename, file.fileName) : undefined;
      if (target) this.poolFiles.set(target, channels);
    } catch {
      // not readable: leave it
    }
  }

  /**
   * The file a `fork()` starts, when written as a literal: `'./child.ts'` (from the working
   * directory or the caller's folder), `new URL('./child.js', import.meta.url)`, `fileURLToPath(...)`,
   * `join(__dirname, 'child.js')`. Without extension, so `child.js` finds `child.ts`.
   */
  private modulePath(arg: TS.Expression, from: string): string | undefined {
    const ts = this.ts;
    let e = unwrap(ts, arg);
    const here = dirname(from);
    // const childFile = new URL('./child.js', import.meta.url); fork(childFile)
    if (ts.isIdentifier(e)) {
      const decl = this.checker.getSymbolAtLocation(e)?.valueDeclaration;
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) e = unwrap(ts, decl.initializer);
    }
    // new URL('./task.js', import.meta.url).href
    if (ts.isPropertyAccessExpression(e) && (e.name.text === 'href' || e.name.text === 'pathname')) return this.modulePath(e.expression, from);
    if (ts.isStringLiteralLike(e)) {
      const candidates = [resolve(here, e.text), resolve(this.cwd, e.text)];
      return (
        candidates.map(stripExtension).find((c) => this.program.getSourceFiles().some((f) => stripExtension(f.fileName) === c)) ??
        stripExtension(candidates[0]!)
      );
    }
    if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'URL' && e.arguments?.[0] && ts.isStringLiteralLike(e.arguments[0])) {
      return stripExtension(resolve(here, e.arguments[0].text));
    }
    if (ts.isCallExpression(e)) {
      const callee = e.expression.getText();
      if (/fileURLToPath$/.test(callee) && e.arguments[0]) return this.modulePath(e.arguments[0], from);
      if (/(^|\.)(join|resolve)$/.test(callee)) {
        const parts = e.arguments.map((a) => (ts.isIdentifier(a) && a.text === '__dirname' ? here : ts.isStringLiteralLike(a) ? a.text : undefined));
        if (parts.every((p): p is string => p !== undefined) && parts.length > 0) return stripExtension(resolve(...parts));
        const dirnameFirst = e.arguments[0] && /import\.meta\.dirname$/.test(e.arguments[0].getText());
        if (dirnameFirst && e.arguments.slice(1).every((a) => ts.isStringLiteralLike(a)))
          return stripExtension(resolve(here, ...e.arguments.slice(1).map((a) => (a as TS.StringLiteral).text)));
      }
    }
    return undefined;
  }
}

function isNullish(ts: TypeScript, e: TS.Expression): boolean {
  const inner = unwrap(ts, e);
  return inner.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(inner) && inner.text === 'undefined');
}

function stripExtension(file: string): string {
  return file.replaceAll('\\', '/').replace(/\.(?:[cm]?[jt]sx?)$/, '');
}

function propertyKey(ts: TypeScript, name: TS.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : undefined;
}
