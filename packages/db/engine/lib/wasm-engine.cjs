// @ts-check
/*
 * Loading @prisma/schema-engine-wasm (workaround WASM_ESM_LOADING, see workarounds.cjs): its
 * entry point imports the .wasm file as an ES module, which Node only allows behind a flag, so
 * the module is instantiated here by hand with the package's own JavaScript bindings, exactly as
 * that entry point would.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { log } = require('./protocol.cjs');

/**
 * @typedef {typeof import('@prisma/schema-engine-wasm', { with: { 'resolution-mode': 'import' } })} WasmBindings
 * @typedef {{ exports: Record<string, unknown> }} WasmInstance
 * @typedef {{ instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: WasmInstance }> }} WasmApi
 *   the part of the global WebAssembly object used here (lib ES2023 does not declare it)
 */

/** @type {Promise<WasmBindings> | undefined} */
let loaded;

/** @returns {Promise<WasmBindings>} */
function loadWasmEngine() {
  loaded ??= instantiate();
  return loaded;
}

async function instantiate() {
  const registry = /** @type {{ PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } }} */ (globalThis);
  // The WASM build reports a Rust panic's message here before it throws.
  registry.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message(message) {
      log('ERROR', `schema engine panicked: ${String(message)}`);
    },
  };
  // The package's "exports" hide package.json; resolve its bindings file through the export map.
  const bindingsFile = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bindings = /** @type {WasmBindings & { __wbg_set_wasm(exports: WasmInstance['exports']): void }} */ (
    await import(pathToFileURL(bindingsFile).href)
  );
  const bytes = fs.readFileSync(path.join(path.dirname(bindingsFile), 'schema_engine_bg.wasm'));
  const wasm = /** @type {{ WebAssembly: WasmApi }} */ (/** @type {unknown} */ (globalThis)).WebAssembly;
  const { instance } = await wasm.instantiate(bytes, { './schema_engine_bg.js': bindings });
  bindings.__wbg_set_wasm(instance.exports);
  /** @type {() => void} */ (instance.exports.__wbindgen_start)();
  return bindings;
}

module.exports = { loadWasmEngine };
