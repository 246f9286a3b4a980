// Preloaded with --require: appends to the file named by CLONECHECK_LOAD_LOG every module a process
// asks for, CommonJS or ES module, as `request <specifier>` before resolving it (so an attempt on a
// package that is not installed shows too) and `file <path or URL>` once resolved.
const fs = require('node:fs');
const Module = require('node:module');

const log = process.env.CLONECHECK_LOAD_LOG;
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  fs.appendFileSync(log, `request ${request}\n`);
  const file = resolveFilename.call(this, request, ...rest);
  fs.appendFileSync(log, `file ${file}\n`);
  return file;
};

const hooks = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  appendFileSync(${JSON.stringify(log)}, 'request ' + specifier + '\\n');
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, 'file ' + result.url + '\\n');
  return result;
}`;
Module.register(`data:text/javascript,${encodeURIComponent(hooks)}`);
