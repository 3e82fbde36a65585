import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorEnvelopeDto } from '../common/errors/error-envelope.dto';
import { CurrentUserProfileDto } from './dto/me.dto';
import { MeService } from './me.service';

/** GET /me: who is signed in, with their org and branch (the web backoffice calls it on every page load). */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get()
  @ApiOperation({
    summary: 'The signed-in user with org, branch, job role and in-store profile (GET /auth/me adds the session)',
  })
  @ApiOkResponse({ type: CurrentUserProfileDto })
  @ApiUnauthorizedResponse({ type: ErrorEnvelopeDto, description: 'Missing, invalid, expired or revoked token' })
  profile(@CurrentUser() user: AuthUser): Promise<CurrentUserProfileDto> {
    return this.me.profile(user);
  }
}
