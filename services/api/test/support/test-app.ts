import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DEMO_PASSWORD, seedDemoData } from '@chefcloud/db';
import { createTestDatabase, type TestDatabase } from '@chefcloud/db/testing';
import { createApp } from '../../src/app.factory';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { PrismaService } from '../../src/database/prisma.service';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  db: TestDatabase;
  http: ReturnType<typeof request>;
  prisma: PrismaService['client'];
  /** Log in as a demo user (password DEMO_PASSWORD) and return the bearer token. */
  login(email: string, extra?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Seed the demo orgs and users (bcrypt cost BCRYPT_COST). Default true. */
  seed?: boolean;
  /** Use this database instead of a fresh clone of the migrated template. */
  db?: TestDatabase;
}

/** Environment of every test app unless overridden: quiet, cheap hashing, throttles out of the way. */
export const TEST_ENV: NodeJS.ProcessEnv = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  BCRYPT_COST: '4',
  JWT_SECRET: 'test-secret-'.padEnd(40, 'x'),
  LOGIN_THROTTLE_IP_LIMIT: '100000',
  LOGIN_THROTTLE_ACCOUNT_LIMIT: '100000',
};

/** The production app (createApp) on a fresh clone of the migrated template database. */
export async function startTestApp(env: NodeJS.ProcessEnv = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase({ prefix: 'api' }));
  const config = loadConfig({ ...TEST_ENV, ...env, DATABASE_URL: db.url }, false);
  const app = await createApp(config);
  await app.init();
  const prisma = app.get(PrismaService).client;
  if (options.seed ?? true) await seedDemoData(prisma, { bcryptCost: config.bcryptCost, nodeEnv: 'test' });
  const http = request(app.getHttpServer());
  return {
    app,
    config,
    db,
    http,
    prisma,
    login: async (email, extra = {}) => {
      const res = await request(app.getHttpServer()).post('/auth/login').send({ email, password: DEMO_PASSWORD, ...extra });
      if (res.status !== 200) throw new Error(`login as ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return (res.body as { access_token: string }).access_token;
    },
    close: async () => {
      await app.close();
      if (!options.db) await db.drop();
    },
  };
}

export const DEMO = {
  owner: 'owner@demo-bistro.test',
  manager: 'manager@demo-bistro.test',
  waiter: 'waiter@demo-bistro.test',
  otherOwner: 'owner@other-org.test',
} as const;
