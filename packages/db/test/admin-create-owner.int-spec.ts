/**
 * `npm run admin:create-owner`: the first org and owner of a production database, run as an
 * operator runs it (from the repository root, compiled code, password on stdin) against real
 * PostgreSQL built by `prisma migrate deploy`.
 */
import { spawn } from 'node:child_process';
import bcrypt from 'bcrypt';
import { Client } from 'pg';
import { createTestDatabase, REPO_ROOT, type TestDatabase } from '../src/testing';

function createOwner(
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin = 'correct-horse-battery\n',
): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'admin:create-owner', '--', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, BCRYPT_COST: '4', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
    child.stdin.end(stdin);
  });
}

const OWNER = ['--org-name', 'Example Platform', '--org-slug', 'example-platform', '--email', '  Owner@Example.COM '];

describe('npm run admin:create-owner', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ prefix: 'owner' });
  });
  afterAll(() => db.drop());

  const users = async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{
        email: string;
        role_level: string;
        password_hash: string;
        slug: string;
        is_active: boolean;
      }>(
        'SELECT u.email, u.role_level, u.password_hash, u.is_active, o.slug FROM users u JOIN orgs o ON o.id = u.org_id ORDER BY u.created_at',
      );
      return rows;
    } finally {
      await client.end();
    }
  };

  it('creates the org and an active L5 owner with a lower-case email and a bcrypt hash of the stdin password, then changes nothing when run again', async () => {
    const first = await createOwner(OWNER, { DATABASE_URL: db.url });
    expect(first.out).toMatch(/org example-platform: created \(id \w+\)/);
    expect(first.out).toMatch(/owner owner@example\.com: created with role L5/);
    expect(first.code).toBe(0);
    const [owner] = await users();
    expect(owner).toMatchObject({
      email: 'owner@example.com',
      role_level: 'L5',
      slug: 'example-platform',
      is_active: true,
    });
    expect(owner.password_hash).toMatch(/^\$2b\$04\$/);
    await expect(bcrypt.compare('correct-horse-battery', owner.password_hash)).resolves.toBe(true);

    const again = await createOwner(OWNER, { DATABASE_URL: db.url }, 'another-password-123\n');
    expect(again.out).toContain('org example-platform: already exists');
    expect(again.out).toContain('owner owner@example.com: already exists, unchanged');
    expect(again.code).toBe(0);
    const after = await users();
    expect(after).toHaveLength(1);
    expect(after[0].password_hash).toBe(owner.password_hash);
  });

  it('refuses a password on the command line, and says what is missing', async () => {
    const argv = await createOwner([...OWNER, '--password', 'correct-horse-battery'], { DATABASE_URL: db.url });
    expect(argv.out).toContain('the password is never taken from the command line');
    expect(argv.code).toBe(2);
    const missing = await createOwner(['--org-name', 'X'], { DATABASE_URL: db.url });
    expect(missing.out).toContain('missing --org-slug, --email');
    expect(missing.code).toBe(2);
  });

  it('validates like the API: slug form, email, password length; writes nothing', async () => {
    const bad = await createOwner(
      ['--org-name', 'Bad', '--org-slug', 'Bad Slug', '--email', 'not-an-email'],
      { DATABASE_URL: db.url },
      'short\n',
    );
    expect(bad.out).toContain('--org-slug must be lower-case letters and digits');
    expect(bad.out).toContain('--email must be a valid email address');
    expect(bad.out).toContain('the password must be at least 12 characters');
    expect(bad.code).toBe(1);
    const empty = await createOwner(OWNER, { DATABASE_URL: db.url }, '');
    expect(empty.out).toContain('no password on stdin');
    expect(empty.code).toBe(2);
  });

  it('refuses an email that belongs to another org', async () => {
    const other = await createOwner(
      ['--org-name', 'Other', '--org-slug', 'other-org', '--email', 'owner@example.com'],
      { DATABASE_URL: db.url },
    );
    expect(other.out).toContain('owner@example.com already belongs to another org; nothing was changed');
    expect(other.code).toBe(1);
  });

  it('says in one line that DATABASE_URL is unset', async () => {
    const { code, out } = await createOwner(OWNER, { DATABASE_URL: '' });
    expect(out.trim()).toBe('[admin:create-owner] DATABASE_URL is not set (the database to create the owner in)');
    expect(code).toBe(2);
  });
});
