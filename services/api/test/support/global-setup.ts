import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jestGlobalSetup } from '@chefcloud/db/testing';

/** The test database server, and the tally file of validated responses (openapi-setup.ts). */
export default async function globalSetup(): Promise<void> {
  const tally = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chefcloud-openapi-')), 'validated');
  fs.writeFileSync(tally, '');
  process.env.CHEFCLOUD_OPENAPI_TALLY = tally;
  await jestGlobalSetup();
}
