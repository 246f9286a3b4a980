#!/usr/bin/env node
// Builds dist/: one CommonJS build of src/, with an ES module wrapper per public entry.
//
// Why one build and not two: an ES module build next to a CommonJS one would give an app that
// reaches clonecheck both ways (its own `import`, a test framework's `require`) two copies of every
// module: two guards patching `Worker` and `send()`, two `CloneCheckError` classes. Here the ESM
// entries (`dist/<entry>.mjs`, `export { check, ... } from './<entry>.js'`) re-export the CommonJS modules, so
// there is one copy of each, whichever way it is loaded. See docs/packaging.md.
//
// Steps:
//  1. copy src/ to .cache/build/<pid>/src/ under a package.json that says "type": "commonjs", so that
//     tsc (module NodeNext) emits CommonJS there and keeps `import()` a real dynamic import;
//     `import.meta.url` has no CommonJS form, so each one becomes the same URL built from
//     __filename, on the same line (source maps stay exact), through process.getBuiltinModule
//     (Node 20.16+), which no local `require` can shadow;
//  2. tsc with tsconfig.build.json's options: dist/**/*.js, .d.ts and maps; the maps are pointed back at src/;
//  3. dist/package.json says "type": "commonjs";
//  4. for each `import` condition in package.json's exports, write the .mjs and .d.mts wrapper
//     (clonecheck/vitest's .mjs is its own source as an ES module: vitest cannot be required).
//
// `npm run build` runs it; `npm pack` and `npm publish` run it first (prepack). A user's install runs nothing.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
// A staging folder of its own per run: builds started at once (tests, an editor, a second shell) do
// not delete each other's files.
const stage = join(root, '.cache', 'build', String(process.pid));
const dist = join(root, 'dist');
/** `--clean` (npm pack, npm publish) empties dist/ first, so no file of a removed module ships. */
const clean = process.argv.includes('--clean');

/** Every file under `dir`, recursively. */
function files(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

// 1. The CommonJS staging copy.
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
cpSync(join(root, 'src'), join(stage, 'src'), { recursive: true });
writeFileSync(join(stage, 'package.json'), '{ "type": "commonjs" }\n');
writeFileSync(
  join(stage, 'tsconfig.json'),
  JSON.stringify({ extends: join(root, 'tsconfig.build.json'), compilerOptions: { rootDir: 'src', outDir: dist }, include: ['src'] }, null, 2),
);
const META_URL = /\bimport\.meta\.url\b/g;
for (const file of files(join(stage, 'src'))) {
  if (!/\.(ts|tsx)$/.test(file) || file.endsWith('.d.ts')) continue;
  const text = readFileSync(file, 'utf8');
  if (!text.includes('import.meta.url')) continue;
  writeFileSync(file, text.replace(META_URL, "process.getBuiltinModule('node:url').pathToFileURL(__filename).href"));
}

// 2. Compile.
if (clean) rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
// tsc emits even when it reports errors; the steps below still run, so dist/ stays loadable, and
// the build fails at the end.
let typeErrors = false;
try {
  execFileSync(process.execPath, [tsc, '-p', join(stage, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
} catch {
  typeErrors = true;
}
for (const file of files(dist)) {
  if (!file.endsWith('.map')) continue;
  const map = JSON.parse(readFileSync(file, 'utf8'));
  map.sources = map.sources.map((s) => s.replace(/(^|\/)\.cache\/build\/\d+\/src\//, '$1src/'));
  writeFileSync(file, JSON.stringify(map));
}

rmSync(stage, { recursive: true, force: true });

// 2b. Outputs of modules that are gone from src/ (a file moved or removed) are removed too, so that
// dist/ never loads a module the source no longer has. Wrappers (.mjs, .d.mts) are rewritten below.
const OUTPUT = /\.(?:js|d\.ts)(?:\.map)?$/;
for (const file of files(dist)) {
  if (!OUTPUT.test(file)) continue;
  const source = join(root, 'src', relative(dist, file).replace(OUTPUT, '.ts'));
  if (!existsSync(source)) rmSync(file, { force: true });
}

// 3. The type marker: the package itself is "type": "module" (its scripts and tests), dist/ is CommonJS.
writeFileSync(join(dist, 'package.json'), '{ "type": "commonjs" }\n');

// 4. The ES module wrappers, one per `import` condition of the exports map.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const ts = createRequire(import.meta.url)('typescript');
/** Entries that are ES modules at heart: they import a package that cannot be required. */
const ESM_NATIVE = new Set(['./vitest']);
const entries = Object.entries(pkg.exports ?? {}).filter(([, t]) => typeof t === 'object' && t !== null && t.import);

/**
 * The names each entry exports as values, read from its declarations: the wrapper re-exports them
 * by name, so an `import * as m` holds exactly the API (no `__esModule`, which `export *` of a
 * CommonJS module would add, and which `expect.extend(m)` would take for a matcher).
 */
function valueExports(typesFiles) {
  const program = ts.createProgram(typesFiles, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const typeOnly = (s) =>
    (s.declarations ?? []).some(
      (d) => ts.isTypeOnlyImportOrExportDeclaration?.(d) || (ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly)),
    );
  return typesFiles.map((file) => {
    const sourceFile = program.getSourceFile(file);
    const module = sourceFile && checker.getSymbolAtLocation(sourceFile);
    if (!module) return [];
    return checker
      .getExportsOfModule(module)
      .filter((s) => !typeOnly(s) && ((s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s).flags & ts.SymbolFlags.Value) !== 0)
      .map((s) => s.name)
      .sort();
  });
}
const names = valueExports(entries.map(([, t]) => join(root, t.require.types)).filter((f) => existsSync(f)));
const namesOf = new Map(entries.filter(([, t]) => existsSync(join(root, t.require.types))).map(([entry], i) => [entry, names[i]]));

let wrappers = 0;
for (const [entry, target] of entries) {
  const esm = target.import;
  const js = join(root, esm.default);
  const dts = join(root, esm.types);
  const cjs = `./${relative(dirname(js), join(root, target.require.default)).replaceAll('\\', '/')}`;
  if (!existsSync(join(root, target.require.default))) {
    console.error(`build: ${entry} requires ${target.require.default}, which tsc did not emit`);
    typeErrors = true;
    continue;
  }
  if (ESM_NATIVE.has(entry)) {
    // This entry imports a package that has no CommonJS form (vitest throws when required), so its
    // .mjs is its own source compiled as an ES module; what it imports of clonecheck still comes
    // from the CommonJS build, one copy.
    const source = join(root, 'src', relative(dist, join(root, target.require.default)).replace(/\.js$/, '.ts'));
    const out = ts.transpileModule(readFileSync(source, 'utf8'), {
      fileName: source,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, verbatimModuleSyntax: true },
    });
    writeFileSync(js, out.outputText);
  } else {
    const exported = namesOf.get(entry) ?? [];
    writeFileSync(js, exported.length > 0 ? `export { ${exported.join(', ')} } from '${cjs}';\n` : `import '${cjs}';\n`);
  }
  // A module augmentation (clonecheck/vitest's `declare module 'vitest'`) must be resolved as an ES
  // module to reach the declarations an ES module user sees, so such an entry's types are copied.
  const cjsTypes = readFileSync(join(root, target.require.types), 'utf8');
  writeFileSync(dts, /^declare module /m.test(cjsTypes) ? cjsTypes.replace(/^\/\/# sourceMappingURL=.*\n?/m, '') : `export * from '${cjs}';\n`);
  wrappers++;
}

const size = files(dist).reduce((n, f) => n + statSync(f).size, 0);
console.log(`build: dist/ CommonJS + ${wrappers} ES module entries, ${(size / 1024).toFixed(0)} kB`);
if (typeErrors) {
  console.error(`build: tsc reported errors (the paths above are in the staging copy ${relative(root, stage)}/src/, which mirrors src/ line for line)`);
  process.exit(1);
}
