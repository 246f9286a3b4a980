// The `@clonecheck <channel...> [parameter]` JSDoc tag: a user's own function whose parameter leaves
// the thread or process, checked at every call. A tag that cannot be read is reported, never skipped.
import type * as TS from 'typescript';
import { CHANNEL_DEFINITIONS, findChannel } from '../channels/index.js';
import type { Channel } from '../types.js';
import type { TypeScript } from './typescript.js';

const TAG = 'clonecheck';

/** A parameter whose argument every call sends. */
export interface TaggedParameter {
  readonly index: number;
  /** The parameter as the site's name shows it: `job`, or `argument 2` for a destructured one. */
  readonly name: string;
  readonly channels: Channel[];
  /** Said on every call site when the tag left the parameter to a default. */
  readonly note?: string;
}

/** A tag that names no channel, or a parameter the function does not have. */
export interface TagProblem {
  /** The function as people call it: `saveJob()`. */
  readonly api: string;
  readonly file: string;
  /** 1-based, where the tag is. */
  readonly line: number;
  readonly column: number;
  readonly error: string;
}

const CHANNEL_LIST = CHANNEL_DEFINITIONS.map((d) => d.id).join(', ');

/** The tags of a program: the names of the tagged functions (to find their calls fast) and what each tag says. */
export class Tags {
  /** Names of the functions and methods that carry a tag, read from the source text. */
  readonly names = new Set<string>();
  private readonly problems = new Map<string, TagProblem[]>();

  constructor(
    private readonly ts: TypeScript,
    program: TS.Program,
  ) {
    for (const file of program.getSourceFiles()) {
      if (!file.isDeclarationFile && file.text.includes(`@${TAG}`)) this.learn(file);
    }
  }

  /** The tags that cannot be read in a file, once each. */
  problemsOf(fileName: string): readonly TagProblem[] {
    return this.problems.get(fileName) ?? [];
  }

  private learn(file: TS.SourceFile): void {
    const ts = this.ts;
    const visit = (node: TS.Node): void => {
      if (ts.isFunctionLike(node) && this.tagsOf(node).length > 0) {
        for (const name of namesOf(ts, node)) this.names.add(name);
        this.parametersOf(node, (tag, error) => {
          // A tag opens its comment or a line of it; `@clonecheck` in the middle of a sentence is prose.
          const start = tag.getStart();
          const opening = Math.max(file.text.lastIndexOf('\n', start - 1) + 1, file.text.lastIndexOf('/**', start - 1) + 3);
          if (!/^[\s*]*$/.test(file.text.slice(opening, start))) return;
          const { line, character } = file.getLineAndCharacterOfPosition(start);
          const list = this.problems.get(file.fileName) ?? [];
          list.push({ api: `${namesOf(ts, node)[0] ?? 'function'}()`, file: file.fileName, line: line + 1, column: character + 1, error });
          this.problems.set(file.fileName, list);
        });
      }
      if (ts.isVariableStatement(node) && ts.getJSDocTags(node).some(isTag)) {
        for (const d of node.declarationList.declarations) if (ts.isIdentifier(d.name)) this.names.add(d.name.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }

  /** Every `@clonecheck` tag of a function: on it (or on the `const` that holds it) and on its parameters. */
  private tagsOf(decl: TS.SignatureDeclaration): TS.JSDocTag[] {
    const ts = this.ts;
    return [...this.functionTags(decl), ...decl.parameters.flatMap((p) => ts.getJSDocTags(p).filter((t) => isTag(t) && !ts.isJSDocParameterTag(t)))];
  }

  private functionTags(decl: TS.SignatureDeclaration): TS.JSDocTag[] {
    const ts = this.ts;
    const host = ts.isVariableDeclaration(decl.parent) ? (decl.parent.parent?.parent ?? decl) : decl;
    const tags = ts.getJSDocTags(host as TS.Node).concat(host === decl ? [] : ts.getJSDocTags(decl));
    return [...new Set(tags)].filter(isTag);
  }

  /**
   * `@clonecheck worker` on a parameter, or `@clonecheck fork job` on the function (its first
   * parameter when the tag names none). `problem` hears of each tag that cannot be read.
   */
  parametersOf(decl: TS.Declaration, problem?: (tag: TS.JSDocTag, error: string) => void): TaggedParameter[] {
    const ts = this.ts;
    if (!ts.isFunctionLike(decl)) return [];
    const params = decl.parameters;
    const fn = `${namesOf(ts, decl)[0] ?? 'this function'}()`;
    const out: TaggedParameter[] = [];
    const add = (index: number, channels: Channel[], note?: string): void => {
      const already = out.find((o) => o.index === index);
      if (!already) {
        out.push({ index, name: parameterName(ts, params[index]!, index), channels, ...(note ? { note } : {}) });
        return;
      }
      for (const c of channels) if (!already.channels.includes(c)) already.channels.push(c);
    };
    params.forEach((param, index) => {
      for (const tag of ts.getJSDocTags(param)) {
        if (!isTag(tag) || ts.isJSDocParameterTag(tag)) continue;
        const { channels, others } = readWords(commentOf(ts, tag));
        if (channels.length > 0) add(index, channels);
        else
          problem?.(
            tag,
            `@${TAG} on ${parameterName(ts, param, index)} of ${fn} names no channel${others[0] ? ` ("${others[0]}" is not one)` : ''}: write one of ${CHANNEL_LIST}.`,
          );
      }
    });
    for (const tag of this.functionTags(decl)) {
      const { channels, others } = readWords(commentOf(ts, tag));
      const named = others[0];
      const index = named ? params.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === named) : 0;
      if (channels.length === 0) {
        problem?.(
          tag,
          `@${TAG} on ${fn} names no channel${named ? ` ("${named}" is not one)` : ''}: write one of ${CHANNEL_LIST}, then the parameter that is sent.`,
        );
      } else if (params.length === 0) {
        problem?.(tag, `@${TAG} on ${fn}: the function has no parameter to check.`);
      } else if (index < 0) {
        const names = params.map((p, i) => parameterName(ts, p, i)).join(', ');
        problem?.(tag, `@${TAG} on ${fn} names "${named}", which is neither a channel (${CHANNEL_LIST}) nor a parameter of ${fn} (${names}).`);
      } else {
        const first = parameterName(ts, params[0]!, 0);
        const note =
          !named && params.length > 1
            ? `the @${TAG} tag on ${fn} names no parameter, so its first, ${first}, is checked; name the one that is sent (@${TAG} ${channels.join(' ')} <parameter>)`
            : undefined;
        add(index, channels, note);
      }
    }
    return out;
  }
}

function isTag(tag: TS.JSDocTag): boolean {
  return tag.tagName.text === TAG;
}

/** The names a function is called by: its own, or that of the `const` or property that holds it. */
function namesOf(ts: TypeScript, node: TS.Node): string[] {
  const names: string[] = [];
  const name = (node as { name?: TS.Node }).name;
  if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name))) names.push(name.text);
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name)) names.push(parent.name.text);
  return names;
}

function parameterName(ts: TypeScript, param: TS.ParameterDeclaration, index: number): string {
  return ts.isIdentifier(param.name) ? param.name.text : `argument ${index + 1}`;
}

function commentOf(ts: TypeScript, tag: TS.JSDocTag): string {
  const c = tag.comment;
  if (c === undefined) return '';
  return typeof c === 'string' ? c : (ts.getTextOfJSDocComment(c) ?? '');
}

/** A tag's words: the channels it names, in order, and the other words (the first is the parameter). */
function readWords(text: string): { channels: Channel[]; others: string[] } {
  const channels: Channel[] = [];
  const others: string[] = [];
  for (const word of text.split(/[\s,]+/)) {
    if (!word) continue;
    const channel = findChannel(word)?.id;
    if (!channel) others.push(word);
    else if (!channels.includes(channel)) channels.push(channel);
  }
  return { channels, others };
}
