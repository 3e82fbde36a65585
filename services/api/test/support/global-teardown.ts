import fs from 'node:fs';
import path from 'node:path';
import { jestGlobalTeardown } from '@chefcloud/db/testing';

/** Stop the test database; print how many responses were validated against the OpenAPI document. */
export default async function globalTeardown(): Promise<void> {
  await jestGlobalTeardown();
  const tally = process.env.CHEFCLOUD_OPENAPI_TALLY;
  if (!tally || !fs.existsSync(tally)) return;
  const counts = fs.readFileSync(tally, 'utf8').split('\n').filter(Boolean).map(Number);
  const total = counts.reduce((a, b) => a + b, 0);
  process.stdout.write(
    `\n[openapi] ${total} responses validated against the served OpenAPI document (${counts.length} test files)\n`,
  );
  fs.rmSync(path.dirname(tally), { recursive: true, force: true });
}
