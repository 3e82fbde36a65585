import { Writable } from 'node:stream';
import type { NestExpressApplication } from '@nestjs/platform-express';
import bcrypt from 'bcrypt';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import request from 'supertest';
import { DEMO_PASSWORD, seedDemoData } from '@chefcloud/db';
import { createTestDatabase, type TestDatabase } from '@chefcloud/db/testing';
import { createApp } from '../../src/app.factory';
import { Clock } from '../../src/common/clock/clock';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { PrismaService } from '../../src/database/prisma.service';
import { buildOpenApiDocument } from '../../src/docs/openapi';
import { ContractValidator, validateResponsesOf } from './openapi-validation';
import { ProbeModule } from './probe.module';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  db: TestDatabase;
  http: ReturnType<typeof request>;
  prisma: PrismaService['client'];
  logs: CapturedLogs;
  /** The app's clock: `t.setNow(date)` freezes it, `t.setNow(undefined)` restores real time. */
  setNow(date: Date | undefined): void;
  /** Log in as a demo user (password DEMO_PASSWORD) and return the bearer token. */
  login(email: string, extra?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Seed the demo orgs and users (bcrypt cost BCRYPT_COST). Default true. */
  seed?: boolean;
  /** Use this database instead of a fresh clone of the migrated template. */
  db?: TestDatabase;
  /** Mount the test-only probe routes (test/support/probe.module.ts). Default true. */
  probe?: boolean;
}

/** Log lines captured from the app (pino JSON), for assertions on what was logged. */
export class CapturedLogs extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    for (const line of chunk.toString().split('\n'))
      if (line.trim()) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    callback();
  }
  messages(): string[] {
    return this.lines.map((l) => String(l.msg ?? ''));
  }
  get text(): string {
    return this.lines.map((l) => JSON.stringify(l)).join('\n');
  }
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

/** Create the platform operator's org (PLATFORM_ADMIN_ORG_SLUG=platform) with one L5 user; returns the email. */
export async function createPlatformAdmin(t: Pick<TestApp, 'prisma' | 'config'>, slug = 'platform'): Promise<string> {
  const org = await t.prisma.org.create({ data: { name: 'ChefCloud Platform', slug } });
  const email = `admin@${slug}.test`;
  await t.prisma.user.create({
    data: {
      orgId: org.id,
      email,
      firstName: 'Pat',
      lastName: 'Platform',
      roleLevel: 'L5',
      passwordHash: await bcrypt.hash(DEMO_PASSWORD, t.config.bcryptCost),
    },
  });
  return email;
}

const validators = new Map<string, ContractValidator>();

/**
 * Validate every response `app` sends against the OpenAPI document it serves at /api/docs-json
 * (or, with API_DOCS_ENABLED=false, the one it would serve). Call before `app.init()`;
 * startTestApp does; a test that builds an app with createApp itself must call it too.
 */
export async function validateAppResponses(app: NestExpressApplication, config: AppConfig): Promise<void> {
  // Set once the document is read; responses sent before (the document itself) are not validated.
  const current: { validator?: ContractValidator } = {};
  validateResponsesOf(app.getHttpServer(), () => current.validator);
  await app.init();
  const text = config.apiDocsEnabled
    ? (await request(app.getHttpServer()).get('/api/docs-json').expect(200)).text
    : JSON.stringify(buildOpenApiDocument(app));
  const validator =
    validators.get(text) ??
    new ContractValidator(JSON.parse(text) as ConstructorParameters<typeof ContractValidator>[0]);
  validators.set(text, validator);
  current.validator = validator;
}

/** The production app (createApp) on a fresh clone of the migrated template database. */
export async function startTestApp(env: NodeJS.ProcessEnv = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase({ prefix: 'api' }));
  const config = loadConfig({ ...TEST_ENV, ...env, DATABASE_URL: db.url }, false);
  const logs = new CapturedLogs();
  // nestjs-pino keeps one process-wide logger for lines outside a request; point it at this app.
  __resetOutOfContextForTests();
  const app = await createApp(config, {
    logDestination: logs,
    extraModules: options.probe === false ? [] : [ProbeModule],
  });
  await validateAppResponses(app, config);
  const prisma = app.get(PrismaService).client;
  if (options.seed ?? true) await seedDemoData(prisma, { bcryptCost: config.bcryptCost, nodeEnv: 'test' });
  const http = request(app.getHttpServer());
  const clock = app.get(Clock);
  let frozen: Date | undefined;
  jest.spyOn(clock, 'now').mockImplementation(() => (frozen ? new Date(frozen) : new Date()));
  return {
    app,
    config,
    db,
    http,
    prisma,
    logs,
    setNow: (date) => {
      frozen = date;
    },
    login: async (email, extra = {}) => {
      const res = await request(app.getHttpServer())
        .post('/auth/login')
        .send({ email, password: DEMO_PASSWORD, ...extra });
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
