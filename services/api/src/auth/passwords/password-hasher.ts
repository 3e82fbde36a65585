import { Inject, Injectable } from '@nestjs/common';
import bcrypt from 'bcrypt';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

/**
 * bcrypt behind one small class. bcrypt's async API hashes on libuv's thread pool, so logins
 * never block the event loop. `verifyOrDummy` compares against a dummy hash of the configured
 * cost when there is no user, so an unknown email costs as much time as a wrong password.
 */
@Injectable()
export class PasswordHasher {
  /** Computed once in the background at startup (on the thread pool), ready before the first login. */
  private readonly dummyHash: Promise<string>;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'bcryptCost'>) {
    this.dummyHash = bcrypt.hash('chefcloud-dummy-password', config.bcryptCost);
  }

  /** True when `password` matches `hash`; with no hash, burns one comparison and returns false. */
  async verifyOrDummy(password: string, hash: string | null | undefined): Promise<boolean> {
    if (!hash) {
      await bcrypt.compare(password, await this.dummyHash);
      return false;
    }
    try {
      return await bcrypt.compare(password, hash);
    } catch {
      // A malformed stored hash is a failed login, not a 500.
      return false;
    }
  }
}
