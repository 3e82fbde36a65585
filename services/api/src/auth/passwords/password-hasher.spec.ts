import bcrypt from 'bcrypt';
import { PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher({ bcryptCost: 4 });

  it('verifies a password against its hash', async () => {
    const hash = await bcrypt.hash('s3cret', 4);
    await expect(hasher.verifyOrDummy('s3cret', hash)).resolves.toBe(true);
    await expect(hasher.verifyOrDummy('wrong', hash)).resolves.toBe(false);
  });

  it('burns a comparison against a dummy hash of the configured cost when there is no hash', async () => {
    const compare = jest.spyOn(bcrypt, 'compare');
    await expect(hasher.verifyOrDummy('anything', undefined)).resolves.toBe(false);
    expect(compare).toHaveBeenCalledTimes(1);
    expect(bcrypt.getRounds(compare.mock.calls[0][1] as string)).toBe(4);
    compare.mockRestore();
  });

  it('treats a malformed stored hash as a failed login', async () => {
    await expect(hasher.verifyOrDummy('x', 'not-a-bcrypt-hash')).resolves.toBe(false);
  });
});
