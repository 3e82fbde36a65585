import fs from 'node:fs';
import path from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/app-config';
import { buildOpenApiDocument } from './openapi';

/** The committed document (reviewers see every contract change in its diff). */
export const OPENAPI_PATH = path.resolve(__dirname, '..', '..', '..', '..', 'docs', 'openapi.json');

/**
 * The environment the document is generated in: the defaults, and a database URL nothing
 * connects to (building the document never touches the database).
 */
const GENERATION_ENV: NodeJS.ProcessEnv = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'silent',
  DATABASE_URL: 'postgresql://openapi@127.0.0.1:1/openapi-generation',
  JWT_SECRET: 'openapi-generation-'.padEnd(40, 'x'),
};

/** The document the production app serves at /api/docs-json, built without a database. */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await createApp(loadConfig(GENERATION_ENV, false));
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The file's text: two-space JSON and a final newline (Prettier leaves the file alone). */
export function openApiText(doc: OpenAPIObject): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * `npm run openapi:generate` writes docs/openapi.json; with `--check` (CI, `npm run lint:openapi`)
 * it only compares, and fails when the committed file is stale.
 */
async function main(): Promise<void> {
  const text = openApiText(await generateOpenApiDocument());
  const relative = path.relative(process.cwd(), OPENAPI_PATH);
  if (process.argv.includes('--check')) {
    const committed = fs.existsSync(OPENAPI_PATH) ? fs.readFileSync(OPENAPI_PATH, 'utf8') : '';
    if (committed !== text) {
      process.stderr.write(
        `${relative} is stale: the code describes another contract. Run npm run openapi:generate and commit the diff.\n`,
      );
      process.exit(1);
    }
    process.stdout.write(`${relative} matches the code\n`);
    return;
  }
  fs.writeFileSync(OPENAPI_PATH, text);
  process.stdout.write(`wrote ${relative}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
