import { describeScriptError, restorePrismaErrorCode, scriptErrors, statementAt } from './workarounds.cjs';

const SCRIPT = `-- a comment
SET LOCAL lock_timeout = '5s';
ALTER TABLE "users" ADD COLUMN "nickname" TEXT;
UPDATE "users"
   SET "nickname" = "no_such_column";
`;

describe('workaround POSTGRES_ERROR_DETAILS', () => {
  it('finds the failed statement and its line from PostgreSQL’s 1-based position', () => {
    const position = SCRIPT.indexOf('"no_such_column"') + 1;
    expect(statementAt(SCRIPT, position)).toEqual({
      statement: 'UPDATE "users"\n   SET "nickname" = "no_such_column";',
      line: 5,
    });
    expect(statementAt(SCRIPT, SCRIPT.indexOf('lock_timeout') + 1)).toEqual({
      statement: "SET LOCAL lock_timeout = '5s';",
      line: 2,
    });
  });

  it('describes the error as the native engine does, with the statement', () => {
    expect(
      describeScriptError({
        code: '42703',
        message: 'column "no_such_column" does not exist',
        hint: 'Perhaps you meant "nick"',
        statement: 'UPDATE x;',
        line: 4,
      }),
    ).toBe(
      'Database error code: 42703\n\nDatabase error:\nERROR: column "no_such_column" does not exist\nHINT: Perhaps you meant "nick"\n\nFailed statement (migration.sql line 4):\nUPDATE x;',
    );
    expect(describeScriptError({ code: '55P03', message: 'lock timeout' })).toContain(
      'Failed statement: not reported by PostgreSQL',
    );
  });
});

describe('workaround PRISMA_ERROR_CODES', () => {
  afterEach(() => scriptErrors.reset());
  const generic = (message: string) => ({ is_panic: false, message, meta: null, error_code: null });

  it('P3009 for the refusal to apply after a failed migration', () => {
    const restored = restorePrismaErrorCode(
      'applyMigrations',
      generic('migrate found failed migrations in the target database, new migrations will not be applied.'),
    );
    expect(restored.error_code).toBe('P3009');
  });

  it('P3018 with the PostgreSQL error when a migration script failed', () => {
    scriptErrors.last = {
      code: '42P01',
      message: 'relation "x" does not exist',
      statement: 'SELECT * FROM x;',
      line: 2,
    };
    const restored = restorePrismaErrorCode(
      'applyMigrations',
      generic('external connector error\nError accessing result set\n with migration_name="20990101000000_bad"'),
    );
    expect(restored.error_code).toBe('P3018');
    expect(restored.message).toContain('Migration name: 20990101000000_bad');
    expect(restored.message).toContain('Database error code: 42P01');
    expect(restored.message).toContain('ERROR: relation "x" does not exist');
    expect(restored.message).toContain('Failed statement (migration.sql line 2):\nSELECT * FROM x;');
    expect(restored.meta).toEqual({
      migration_name: '20990101000000_bad',
      database_error_code: '42P01',
      database_error: 'relation "x" does not exist',
    });
  });

  it('leaves other errors, and codes the engine already set, alone', () => {
    expect(restorePrismaErrorCode('devDiagnostic', generic('something else')).error_code).toBeNull();
    const coded = { ...generic('x'), error_code: 'P1001' };
    expect(restorePrismaErrorCode('applyMigrations', coded)).toBe(coded);
  });
});
