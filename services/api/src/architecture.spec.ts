import fs from 'node:fs';
import path from 'node:path';
import { Prisma } from '@chefcloud/db';

/** Rules of the code base's shape, checked over the source tree (services/api/src). */
const SRC = __dirname;

function sourceFiles(dir = SRC): string[] {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

const files = sourceFiles().map((file) => ({
  file: path.relative(SRC, file).split(path.sep).join('/'),
  text: fs.readFileSync(file, 'utf8'),
}));
const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

/** Modules global because nearly every module needs them: the configuration and the database client. */
const GLOBAL_MODULES = ['config/config.module.ts', 'database/database.module.ts'];

/** Methods of a Prisma model delegate (`prisma.client.user.findMany(…)`, `tx.featureFlag.update(…)`). */
const DELEGATE_METHODS = [
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'create',
  'createMany',
  'createManyAndReturn',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'upsert',
  'delete',
  'deleteMany',
  'count',
  'aggregate',
  'groupBy',
];
const DELEGATES = Object.values(Prisma.ModelName).map((model) => model.charAt(0).toLowerCase() + model.slice(1));

/**
 * Where `source` uses the Prisma client: importing PrismaService or the client, a client method
 * (`$transaction`, `$queryRaw`, …), a transaction client, or a call on a model delegate.
 */
export function prismaClientUses(source: string): string[] {
  const patterns = [
    /import[^;]*\bPrismaService\b[^;]*;/g,
    /import[^;]*\b(PrismaClient|createPrismaClient)\b[^;]*;/g,
    /\$(transaction|queryRaw|queryRawUnsafe|executeRaw|executeRawUnsafe|connect|disconnect|extends)\b/g,
    /\bTransactionClient\b/g,
    new RegExp(`\\.\\s*(${DELEGATES.join('|')})\\s*\\.\\s*(${DELEGATE_METHODS.join('|')})\\s*\\(`, 'g'),
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[0].replace(/\s+/g, ' ')));
}

/** Only repositories touch the Prisma client (and the database module, which creates it). */
const mayUsePrismaClient = (file: string) => file.endsWith('.repository.ts') || file.startsWith('database/');

describe('architecture', () => {
  it('scans the source tree', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it('declares one Nest module per *.module.ts file, and modules nowhere else', () => {
    const misplaced = files.filter((f) => count(f.text, /^@Module\(/gm) !== (f.file.endsWith('.module.ts') ? 1 : 0));
    expect(misplaced.map((f) => f.file)).toEqual([]);
  });

  it('lets only *.repository.ts files touch the Prisma client', () => {
    const offenders = files
      .filter((f) => !mayUsePrismaClient(f.file))
      .flatMap((f) => prismaClientUses(f.text).map((use) => `${f.file}: ${use}`));
    expect(offenders).toEqual([]);
    expect(files.filter((f) => f.file.endsWith('.repository.ts')).length).toBeGreaterThanOrEqual(6);
  });

  it('recognises the ways a service could reach the client', () => {
    expect(prismaClientUses("import { PrismaService } from '../database/prisma.service';")).toHaveLength(1);
    expect(prismaClientUses("import { createPrismaClient, type PrismaClient } from '@chefcloud/db';")).toHaveLength(1);
    expect(prismaClientUses('await this.prisma.client.$queryRaw`SELECT 1`')).toEqual(['$queryRaw']);
    expect(prismaClientUses('(tx) => tx.featureFlag.create({ data })')).toEqual(['.featureFlag.create(']);
    expect(prismaClientUses('this.prisma.client.org\n  .findUnique({ where })')).toEqual(['.org .findUnique(']);
    expect(prismaClientUses('type Tx = Prisma.TransactionClient;')).toEqual(['TransactionClient']);
    expect(prismaClientUses('const user = req.user; this.users.findById(id); Prisma.DbNull')).toEqual([]);
  });

  it(`keeps @Global() to ${GLOBAL_MODULES.join(' and ')}`, () => {
    expect(files.filter((f) => /^@Global\(\)/m.test(f.text)).map((f) => f.file)).toEqual(GLOBAL_MODULES);
  });
});
