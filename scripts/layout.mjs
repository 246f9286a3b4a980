#!/usr/bin/env node
// Holds src/ to the layout docs/architecture.md describes:
//  - no file longer than MAX_FILE lines, no function longer than MAX_FUNCTION lines;
//  - channel ids ('worker', 'fork', 'fork-advanced', 'json', 'v8') written as string literals only in
//    the channel modules (src/channels/), in the registry of ids (src/types.ts) and in user-facing text
//    (src/findings/messages.ts, src/cli/args.ts's help);
//  - no import cycle between modules (type-only imports count: they are a cycle for a reader too);
//  - imports follow the layers: a lower layer never imports a higher one.
//
// Exit 0 when all hold, 1 with one line per breach otherwise. `npm run lint` runs it.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const src = join(root, 'src');
const MAX_FILE = 500;
const MAX_FUNCTION = 80;
const CHANNEL_IDS = new Set(['worker', 'fork', 'fork-advanced', 'json', 'v8']);
// Where a channel id may be written: the channel modules and their registry, the list of ids, the
// user-facing text (messages, --help), the real receivers (one per channel, used to prove the
// rules) and `Cloned<T, C>` (the channel rules as types, which TypeScript can only key by id).
const ID_HOMES = [/^channels\//, /^types\.ts$/, /^findings\/messages\.ts$/, /^cli\/args\.ts$/, /^verify\/receivers\.ts$/, /^cloned\.ts$/];
// Layers, lowest first: a module may import (for values; `import type` is free) its own layer and
// the ones below it. The vocabulary (ids, codes, severities, paths), then the channels' facts, the
// wording and the finding record, the walk, the policies, the checks, the renderers and the scan.
const LAYERS = [
  ['types.ts', 'realm/'],
  ['findings/codes.ts', 'findings/severity.ts', 'findings/path.ts'],
  ['channels/'],
  ['findings/'],
  ['walk/'],
  ['policy/', 'config/', 'origin/'],
  ['check/', 'verify/', 'cloned.ts'],
  ['report/', 'scan/'],
];

function layerOf(file) {
  for (let i = 0; i < LAYERS.length; i++) {
    if (LAYERS[i].some((prefix) => file === prefix || file.startsWith(prefix))) return i;
  }
  return LAYERS.length; // glue: guard, cli, entries
}

function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const breaches = [];
/** Every relative import, by file (cycles count these). */
const imports = new Map();
/** The imports that load a module at run time (layers count these). */
const valueImports = new Map();

function isTypeOnly(node) {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly;
  const clause = node.importClause;
  if (!clause) return false; // import './side-effect.js'
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

/** 'json' and 'v8' are also the names of the two formats a channel writes, and of report formats. */
function isFormatWord(node) {
  if (node.text !== 'json' && node.text !== 'v8') return false;
  const parent = node.parent;
  const named = (n) => (ts.isPropertyAccessExpression(n) || ts.isIdentifier(n)) && /format$/i.test(ts.isIdentifier(n) ? n.text : n.name.text);
  if (ts.isBinaryExpression(parent)) return named(parent.left) || named(parent.right);
  if (ts.isPropertyAssignment(parent)) return /format$/i.test(parent.name.getText());
  if (ts.isCaseClause(parent)) return named(parent.parent.parent.expression); // switch (x.format) { case 'json': ... }
  return false;
}

/** The module a relative specifier names, as a path under src/ ('walk/walker.ts'); undefined for a package. */
function targetOf(fromPath, spec) {
  if (!spec.startsWith('.')) return undefined;
  return relative(src, resolve(dirname(fromPath), spec.replace(/\.js$/, '.ts')))
    .split('\\')
    .join('/');
}

/** A call that loads a module at run time, with a literal specifier, and the file it is relative to. */
function lateImport(node, file) {
  if (!ts.isCallExpression(node) || node.arguments.length === 0) return undefined;
  const arg = node.arguments[0];
  if (!ts.isStringLiteral(arg) && !ts.isNoSubstitutionTemplateLiteral(arg)) return undefined;
  if (node.expression.kind === ts.SyntaxKind.ImportKeyword) return { from: join(src, file), spec: arg.text };
  if (ts.isIdentifier(node.expression) && node.expression.text === 'lazy' && file !== 'cli/lazy.ts') {
    return { from: join(src, 'cli/lazy.ts'), spec: arg.text };
  }
  return undefined;
}

for (const path of filesUnder(src)) {
  const file = relative(src, path).split('\\').join('/');
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > MAX_FILE) breaches.push(`${file}: ${lines} lines (at most ${MAX_FILE})`);
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const lineOf = (pos) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const deps = new Set();
  const valueDeps = new Set();
  imports.set(file, deps);
  valueImports.set(file, valueDeps);
  const idHome = ID_HOMES.some((re) => re.test(file));

  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body && ts.isBlock(node.body)) {
      const span = lineOf(node.getEnd()) - lineOf(node.getStart(sf)) + 1;
      if (span > MAX_FUNCTION) {
        const name = node.name ? node.name.getText(sf) : '(anonymous)';
        breaches.push(`${file}:${lineOf(node.getStart(sf))}: function ${name} is ${span} lines (at most ${MAX_FUNCTION})`);
      }
    }
    if (
      !idHome &&
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
      CHANNEL_IDS.has(node.text) &&
      !ts.isImportDeclaration(node.parent) &&
      !ts.isExportDeclaration(node.parent) &&
      !ts.isCallExpression(node.parent) && // require('...'), getBuiltinModule('...')
      !isFormatWord(node)
    ) {
      breaches.push(`${file}:${lineOf(node.getStart(sf))}: channel id '${node.text}' outside the channel modules`);
    }
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const target = targetOf(path, node.moduleSpecifier.text);
      if (target) {
        deps.add(target);
        if (!isTypeOnly(node)) valueDeps.add(target);
      }
    }
    // Loaded when first needed: `import('./x.js')`, and `lazy('./x.js')` (src/cli/lazy.ts, whose ids
    // are relative to src/cli/). Both load a module at run time, so they count for layers and cycles.
    const loaded = lateImport(node, file);
    if (loaded) {
      const target = targetOf(loaded.from, loaded.spec);
      if (target) {
        deps.add(target);
        valueDeps.add(target);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

// Layers.
for (const [file, deps] of valueImports) {
  for (const dep of deps) {
    if (layerOf(dep) > layerOf(file)) breaches.push(`${file}: imports ${dep}, a higher layer`);
  }
}

// Cycles (Tarjan's strongly connected components).
let index = 0;
const stack = [];
const meta = new Map();
const cycles = [];
function strong(v) {
  meta.set(v, { index, low: index, on: true });
  index++;
  stack.push(v);
  for (const w of imports.get(v) ?? []) {
    if (!imports.has(w)) continue;
    if (!meta.has(w)) {
      strong(w);
      meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).low);
    } else if (meta.get(w).on) meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).index);
  }
  if (meta.get(v).low === meta.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      meta.get(w).on = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component.sort());
  }
}
for (const file of imports.keys()) if (!meta.has(file)) strong(file);
for (const cycle of cycles) breaches.push(`import cycle: ${cycle.join(' <-> ')}`);

if (breaches.length === 0) {
  console.log(`layout: ${imports.size} files in src/ hold to docs/architecture.md`);
} else {
  for (const line of breaches.sort()) console.log(line);
  console.log(`\nlayout: ${breaches.length} breach${breaches.length === 1 ? '' : 'es'} (see docs/architecture.md)`);
  process.exitCode = 1;
}
