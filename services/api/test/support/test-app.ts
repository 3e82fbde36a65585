import type { NestExpressApplication } from '@nestjs/platform-express';
import { createTestDatabase, type TestDatabase } from '@chefcloud/db/testing';
import { createApp } from '../../src/app.factory';
import { loadConfig, type AppConfig } from '../../src/config/app-config';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  db: TestDatabase;
  close(): Promise<void>;
}

/** The production app (createApp) on a fresh clone of the migrated template database. */
export async function startTestApp(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const db = await createTestDatabase({ prefix: 'api' });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', BCRYPT_COST: '4', JWT_SECRET: 'test-secret-'.padEnd(40, 'x'), ...env, DATABASE_URL: db.url }, false);
  const app = await createApp(config);
  await app.init();
  return {
    app,
    config,
    db,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
