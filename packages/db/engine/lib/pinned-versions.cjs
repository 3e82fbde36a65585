// @ts-check
/*
 * The versions this engine was written and tested against. The workarounds in workarounds.cjs
 * patch internals of exactly these releases (a private method of the adapter, wasm-bindgen's
 * start-up, the WASM build's method names and error shapes); another release may change any of
 * them silently. So the engine refuses to run against anything else, with a message saying what
 * to do, rather than migrate a production database with unverified patches.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** package name → the exact version packages/db/package.json pins. */
const PINNED_VERSIONS = Object.freeze({
  '@prisma/schema-engine-wasm': '7.10.0-4.0edf323efd1d98336f3f0a68684b56f689b900d3',
  '@prisma/adapter-pg': '7.10.0',
  '@prisma/driver-adapter-utils': '7.10.0',
  prisma: '7.10.0',
});

/**
 * The installed version of `name` as Node would resolve it from `fromDir`, read from its
 * package.json on disk (some packages' "exports" hide package.json from require).
 * @param {string} name
 * @param {string} fromDir
 * @returns {string | undefined}
 */
function installedVersion(name, fromDir) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', name, 'package.json');
    if (fs.existsSync(file))
      return /** @type {{ version?: string }} */ (JSON.parse(fs.readFileSync(file, 'utf8'))).version;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Every pinned package whose installed version differs, with what was found.
 * @param {(name: string) => string | undefined} versionOf
 * @param {Readonly<Record<string, string>>} [pinned]
 * @returns {{ name: string; pinned: string; installed: string | undefined }[]}
 */
function versionMismatches(versionOf, pinned = PINNED_VERSIONS) {
  return Object.entries(pinned)
    .map(([name, version]) => ({ name, pinned: version, installed: versionOf(name) }))
    .filter((entry) => entry.installed !== entry.pinned);
}

/**
 * The refusal an operator reads when the versions differ (one line per package, then what to do).
 * @param {{ name: string; pinned: string; installed: string | undefined }[]} mismatches
 */
function mismatchMessage(mismatches) {
  return [
    'offline schema engine: refusing to run, installed versions differ from the ones it was verified against:',
    ...mismatches.map((m) => `  ${m.name}: installed ${m.installed ?? '(not installed)'}, pinned ${m.pinned}`),
    'Its workarounds patch internals of the pinned releases. Install the pinned versions (npm ci), or re-verify',
    'packages/db/engine/lib/workarounds.cjs against the new ones and update PINNED_VERSIONS in',
    "packages/db/engine/lib/pinned-versions.cjs. (CHEFCLOUD_PRISMA_ENGINE=native uses Prisma's own engine.)",
  ].join('\n');
}

/**
 * Throws with mismatchMessage when any pinned package is installed in another version.
 * @param {string} fromDir where the engine resolves its packages from
 */
function assertPinnedVersions(fromDir) {
  const mismatches = versionMismatches((name) => installedVersion(name, fromDir));
  if (mismatches.length) throw new Error(mismatchMessage(mismatches));
}

module.exports = { PINNED_VERSIONS, installedVersion, versionMismatches, mismatchMessage, assertPinnedVersions };
