import bcrypt from 'bcrypt';
import { PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher({ bcryptCost: 4 });

  it('hashes with the configured cost and verifies', async () => {
    const hash = await hasher.hash('s3cret');
    expect(bcrypt.getRounds(hash)).toBe(4);
    await expect(hasher.verifyOrDummy('s3cret', hash)).resolves.toBe(true);
    await expect(hasher.verifyOrDummy('wrong', hash)).resolves.toBe(false);
  });

  it('burns a comparison and returns false when there is no hash', async () => {
    const compare = jest.spyOn(bcrypt, 'compare');
    await expect(hasher.verifyOrDummy('anything', undefined)).resolves.toBe(false);
    expect(compare).toHaveBeenCalledTimes(1);
    compare.mockRestore();
  });

  it('treats a malformed stored hash as a failed login', async () => {
    await expect(hasher.verifyOrDummy('x', 'not-a-bcrypt-hash')).resolves.toBe(false);
  });
});
