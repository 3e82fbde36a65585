import { Injectable } from '@nestjs/common';
import { toUserDto } from '../auth/auth.service';
import type { AuthUser } from '../auth/auth.types';
import { AppException } from '../common/errors/app-exception';
import { UsersRepository } from '../users/users.repository';
import type { CurrentUserProfileDto } from './dto/me.dto';

@Injectable()
export class MeService {
  constructor(private readonly users: UsersRepository) {}

  async profile(auth: AuthUser): Promise<CurrentUserProfileDto> {
    const user = await this.users.findWithOrg(auth.userId);
    if (!user) throw new AppException('UNAUTHORIZED', 'The session has ended; sign in again');
    const profile = user.employeeProfile;
    return {
      ...toUserDto(user),
      isActive: user.isActive,
      org: { id: user.org.id, name: user.org.name, slug: user.org.slug },
      branch: user.branch ? { id: user.branch.id, name: user.branch.name, timezone: user.branch.timezone } : null,
      employeeProfile: profile
        ? {
            employeeCode: profile.employeeCode,
            badgeId: null,
            badgeEnrolled: profile.badgeHash !== null,
            pinSet: profile.pinHash !== null,
          }
        : null,
    };
  }
}
