#!/usr/bin/env node
// @ts-check
// Runs one of @chefcloud/db's compiled command-line tools (dist/, built by `npm run build`), so
// that `npm run db:check`, `db:seed`, `db:lint` and `admin:create-owner` work wherever the built
// code is — a Render shell, the Docker image — with no TypeScript source and no tsx at run time.
//
// Usage: node scripts/run-built.mjs <file under dist/> [arguments...]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const relative = process.argv[2];
if (!relative) {
  process.stderr.write('usage: node scripts/run-built.mjs <file under dist/> [arguments...]\n');
  process.exit(2);
}
const file = path.join(packageDir, 'dist', relative);
if (!fs.existsSync(file)) {
  process.stderr.write(
    `[chefcloud-db] ${path.relative(process.cwd(), file)} is not built: run \`npm run build\` first (Render's build does).\n`,
  );
  process.exit(2);
}
// The tool sees its own arguments as process.argv.slice(2), as if run directly.
process.argv.splice(1, 2, file);
createRequire(import.meta.url)(file);
