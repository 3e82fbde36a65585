import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ErrorEnvelopeDto } from '../../common/errors/error-envelope.dto';
import { AllowDuringMaintenance } from '../../maintenance/allow-during-maintenance.decorator';
import type { RequestContext } from '../auth.service';
import type { AuthUser } from '../auth.types';
import { CurrentUser } from '../decorators/current-user.decorator';
import { Public } from '../decorators/public.decorator';
import { LoginResponseDto } from '../dto/auth-responses.dto';
import { Roles } from '../roles/roles.decorator';
import { BadgeSwipeDto, EnrollBadgeDto, EnrollBadgeResponseDto, PinLoginDto } from './dto/pos-login.dto';
import { PosAuthService } from './pos-auth.service';

function context(req: Request): RequestContext {
  return { ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', userAgent: req.get('user-agent') };
}

const throttled = { type: ErrorEnvelopeDto, description: 'Too many attempts from this IP or for this credential' };
const busy = { type: ErrorEnvelopeDto, description: 'Sign-in checks saturated, or database unavailable (Retry-After)' };

/** POS sign-in: PIN and badge (the original ChefCloud desktop and its tests call these). */
@ApiTags('auth: POS')
@Controller('auth')
export class PosAuthController {
  constructor(private readonly pos: PosAuthService) {}

  @Public()
  @AllowDuringMaintenance()
  @Post('pin-login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in at a POS with branch, employee code and PIN; a POS_DESKTOP session by default' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiBadRequestResponse({ type: ErrorEnvelopeDto, description: 'Missing or invalid fields' })
  @ApiUnauthorizedResponse({ type: ErrorEnvelopeDto, description: 'Any wrong part (indistinguishable)' })
  @ApiTooManyRequestsResponse(throttled)
  @ApiServiceUnavailableResponse(busy)
  pinLogin(@Body() body: PinLoginDto, @Req() req: Request): Promise<LoginResponseDto> {
    return this.pos.pinLogin(body, context(req));
  }

  @Public()
  @AllowDuringMaintenance()
  @Post('msr-swipe')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with a badge swipe (e.g. CLOUDBADGE:<code>); a POS_DESKTOP session by default' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiBadRequestResponse({ type: ErrorEnvelopeDto, description: 'Invalid body, or payment-card data' })
  @ApiUnauthorizedResponse({ type: ErrorEnvelopeDto, description: 'Unknown badge, other branch or inactive user' })
  @ApiTooManyRequestsResponse(throttled)
  @ApiServiceUnavailableResponse(busy)
  badgeLogin(@Body() body: BadgeSwipeDto, @Req() req: Request): Promise<LoginResponseDto> {
    return this.pos.badgeLogin(body, context(req));
  }

  @Post('enroll-badge')
  @HttpCode(200)
  @Roles('L4')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Enrol (or replace) the badge of a user of your org; L4+' })
  @ApiOkResponse({ type: EnrollBadgeResponseDto })
  @ApiBadRequestResponse({ type: ErrorEnvelopeDto, description: 'Badge ID not alphanumeric, or fields missing' })
  @ApiUnauthorizedResponse({ type: ErrorEnvelopeDto })
  @ApiForbiddenResponse({ type: ErrorEnvelopeDto, description: 'Below L4' })
  @ApiNotFoundResponse({ type: ErrorEnvelopeDto, description: 'No such user in your org' })
  @ApiConflictResponse({ type: ErrorEnvelopeDto, description: 'The badge belongs to another user' })
  @ApiServiceUnavailableResponse({
    type: ErrorEnvelopeDto,
    description: 'Maintenance (a write), database unavailable, or schema not migrated (Retry-After)',
  })
  enrollBadge(@CurrentUser() user: AuthUser, @Body() body: EnrollBadgeDto): Promise<EnrollBadgeResponseDto> {
    return this.pos.enrollBadge(user, body.userId, body.badgeId);
  }
}
