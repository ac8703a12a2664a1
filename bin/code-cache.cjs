// Loads a CommonJS bundle with V8's code cache: the relay's bundle (dist/relay.cjs) is ~1 MB
// that every relay start would otherwise parse and compile again, a fifth of a first use's
// relay start (bench/bootstrap.mjs). The build writes `<bundle>.cache` after evaluating the
// bundle once, so the functions its start-up runs are in it; V8 rejects a cache made by another
// node or with other V8 flags, and the bundle is then compiled as usual.
'use strict';

const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname } = require('node:path');
const { Script } = require('node:vm');

// The bundle's own dynamic import() calls (ESM-only SDKs) are rewritten by the build to this
// parameter: import() inside a vm script would need --experimental-vm-modules.
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname, __agentmuxImport) { ';
const WRAPPER_TAIL = '\n})';

/** The compiled script of `file` (with `<file>.cache` when there is one) and whether V8 took the cache. */
function compileBundle(file) {
  const source = WRAPPER_HEAD + readFileSync(file, 'utf8') + WRAPPER_TAIL;
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(source, { filename: file, ...(cachedData === undefined ? {} : { cachedData }) });
  return { script, cache: cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted' };
}

/** Evaluates a compiled bundle as the CommonJS module `file`; returns its exports. */
function runBundle(script, file) {
  const module = new Module(file, null);
  module.filename = file;
  module.paths = Module._nodeModulePaths(dirname(file));
  module.loaded = true;
  const wrapper = script.runInThisContext();
  const importModule = (specifier) => import(specifier);
  wrapper.call(module.exports, module.exports, Module.createRequire(file), module, file, dirname(file), importModule);
  return module.exports;
}

/** Requires the bundle `file` through the code cache; `codeCache` says what became of the cache. */
function requireWithCodeCache(file) {
  const { script, cache } = compileBundle(file);
  const exports = runBundle(script, file);
  return { exports, codeCache: cache };
}

module.exports = { compileBundle, runBundle, requireWithCodeCache };
