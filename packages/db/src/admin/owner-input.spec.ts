import { validateOwnerInput, type OwnerInput } from './owner-input';

const valid: OwnerInput = {
  orgName: ' Example Platform ',
  orgSlug: 'example-platform',
  email: '  Owner@Example.COM ',
  firstName: 'Platform',
  lastName: 'Owner',
  password: 'correct-horse-battery',
};

describe('validateOwnerInput', () => {
  it('trims, and stores the email lower-case as the API looks it up', () => {
    expect(validateOwnerInput(valid)).toEqual({
      ok: true,
      value: { ...valid, orgName: 'Example Platform', email: 'owner@example.com' },
    });
  });

  it.each([
    ['orgSlug', 'Example Platform', '--org-slug'],
    ['orgSlug', 'a--b', '--org-slug'],
    ['email', 'owner@', '--email'],
    ['email', `${'a'.repeat(250)}@example.com`, '--email'],
    ['orgName', '   ', '--org-name'],
    ['password', 'short', 'at least 12'],
    ['password', 'é'.repeat(40), 'at most 72 bytes'],
  ] as const)('rejects %s %j', (field, value, message) => {
    const result = validateOwnerInput({ ...valid, [field]: value });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.join('\n')).toContain(message);
  });
});
