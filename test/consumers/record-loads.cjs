// Preloaded with --require: appends every module file the process resolves, CommonJS or ES module,
// to the file named by CLONECHECK_LOAD_LOG, one path or URL a line.
const fs = require('node:fs');
const Module = require('node:module');

const log = process.env.CLONECHECK_LOAD_LOG;
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const file = resolveFilename.apply(this, args);
  fs.appendFileSync(log, `${file}\n`);
  return file;
};

const hooks = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}`;
Module.register(`data:text/javascript,${encodeURIComponent(hooks)}`);
