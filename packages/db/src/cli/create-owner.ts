/**
 * `npm run admin:create-owner -- --org-name NAME --org-slug SLUG --email EMAIL [--first-name F] [--last-name L]`
 *
 * Creates the first org and its L5 owner in the DATABASE_URL database, the one thing a fresh
 * production database needs before anyone can sign in (the demo seed never runs there). The
 * password is typed at a prompt (or piped as one line on stdin), never passed as an argument.
 * Validates like the API, stores the email lower-case, hashes at BCRYPT_COST (default 12).
 * Idempotent: running it again with the same org and email changes nothing.
 * Runs from the compiled code (dist/), so it works in a Render shell of the built service.
 *
 * Exit 0: created, or already there. 1: invalid input, or the email belongs to another org.
 * 2: bad usage, DATABASE_URL unset, or the database cannot be reached.
 */
import { createOwner, OwnerConflictError } from '../admin/create-owner';
import { validateOwnerInput, type OwnerInput } from '../admin/owner-input';
import { createPrismaClient } from '../client';
import { readPassword } from './read-password';

const TAG = '[admin:create-owner]';

class UsageError extends Error {}

const OPTIONS = {
  '--org-name': 'orgName',
  '--org-slug': 'orgSlug',
  '--email': 'email',
  '--first-name': 'firstName',
  '--last-name': 'lastName',
} as const;

function parseArgs(argv: string[]): Omit<OwnerInput, 'password'> {
  const values: Omit<OwnerInput, 'password'> = {
    orgName: '',
    orgSlug: '',
    email: '',
    firstName: 'Platform',
    lastName: 'Owner',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === '--password')
      throw new UsageError(
        'the password is never taken from the command line (shell history, ps): type it at the prompt or pipe it on stdin',
      );
    if (!(flag in OPTIONS)) throw new UsageError(`unknown option ${argv[i]}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    values[OPTIONS[flag as keyof typeof OPTIONS]] = value;
  }
  const missing = (['--org-name', '--org-slug', '--email'] as const).filter((flag) => !values[OPTIONS[flag]]);
  if (missing.length) throw new UsageError(`missing ${missing.join(', ')}`);
  return values;
}

function bcryptCost(env: NodeJS.ProcessEnv): number {
  const cost = Number(env.BCRYPT_COST ?? 12);
  if (!Number.isInteger(cost) || cost < 4 || cost > 15)
    throw new UsageError('BCRYPT_COST must be an integer from 4 to 15');
  return cost;
}

async function main(): Promise<number> {
  let args;
  let cost;
  try {
    args = parseArgs(process.argv.slice(2));
    cost = bcryptCost(process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(
      `${TAG} ${error.message}\nusage: npm run admin:create-owner -- --org-name NAME --org-slug SLUG --email EMAIL [--first-name F] [--last-name L]\n`,
    );
    return 2;
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write(`${TAG} DATABASE_URL is not set (the database to create the owner in)\n`);
    return 2;
  }
  const password = await readPassword(`Password for ${args.email.trim().toLowerCase()}: `);
  const checked = validateOwnerInput({ ...args, password });
  if (!checked.ok) {
    for (const problem of checked.errors) process.stderr.write(`${TAG} ${problem}\n`);
    return 1;
  }
  const input = checked.value;
  const prisma = createPrismaClient({ url, poolMax: 1 });
  try {
    const result = await createOwner(prisma, input, { bcryptCost: cost });
    process.stdout.write(
      `${TAG} org ${result.org.slug}: ${result.org.created ? 'created' : 'already exists'} (id ${result.org.id})\n` +
        `${TAG} owner ${result.user.email}: ${result.user.created ? 'created with role L5' : 'already exists, unchanged'} (id ${result.user.id})\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof OwnerConflictError) {
      process.stderr.write(`${TAG} ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await prisma.$disconnect();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${TAG} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
