import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ErrorEnvelopeDto } from '../common/errors/error-envelope.dto';
import type { AuthUser } from './auth.types';
import { AuthService } from './auth.service';
import { AllowDuringMaintenance } from '../maintenance/allow-during-maintenance.decorator';
import { CurrentUser } from './decorators/current-user.decorator';
import { Public } from './decorators/public.decorator';
import { LoginResponseDto, LogoutAllResponseDto, MeResponseDto, SessionsResponseDto } from './dto/auth-responses.dto';
import { LoginDto } from './dto/login.dto';

const unauthorized = {
  type: ErrorEnvelopeDto,
  description: 'Missing, invalid, expired or revoked token',
  example: {
    statusCode: 401,
    code: 'UNAUTHORIZED',
    message: 'The access token is invalid',
    requestId: '5f0c7c1e-4f7e-4a59-9a3b-0f2d7f6f1c11',
  },
};
const unavailable = {
  type: ErrorEnvelopeDto,
  description: 'Database unavailable (Retry-After set)',
  example: {
    statusCode: 503,
    code: 'DATABASE_UNAVAILABLE',
    message: 'The database is unavailable; retry shortly.',
    requestId: '5f0c7c1e-4f7e-4a59-9a3b-0f2d7f6f1c11',
  },
};

@ApiTags('auth')
@AllowDuringMaintenance()
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password; returns a bearer token and opens a session' })
  @ApiBody({
    type: LoginDto,
    examples: {
      demoOwner: {
        value: { email: 'owner@demo-bistro.test', password: 'your-password', platform: 'WEB_BACKOFFICE' },
      },
    },
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiBadRequestResponse({
    type: ErrorEnvelopeDto,
    description: 'Invalid body; `details` lists each field',
    example: {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'Request validation failed: email',
      requestId: 'r-1',
      details: [{ field: 'email', errors: ['email must be a valid email address'] }],
    },
  })
  @ApiUnauthorizedResponse({
    type: ErrorEnvelopeDto,
    description: 'Unknown email, wrong password or inactive user (indistinguishable)',
    example: { statusCode: 401, code: 'INVALID_CREDENTIALS', message: 'Invalid email or password', requestId: 'r-1' },
  })
  @ApiTooManyRequestsResponse({
    type: ErrorEnvelopeDto,
    description: 'Too many attempts from this IP or for this account; see Retry-After',
    example: {
      statusCode: 429,
      code: 'TOO_MANY_ATTEMPTS',
      message: 'Too many login attempts; try again later.',
      requestId: 'r-1',
      retryAfterSeconds: 42,
    },
  })
  @ApiServiceUnavailableResponse(unavailable)
  login(@Body() body: LoginDto, @Req() req: Request): Promise<LoginResponseDto> {
    return this.auth.login(body, {
      ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      userAgent: req.get('user-agent'),
    });
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user and the current session' })
  @ApiOkResponse({ type: MeResponseDto })
  @ApiUnauthorizedResponse(unauthorized)
  me(@CurrentUser() user: AuthUser): Promise<MeResponseDto> {
    return this.auth.me(user);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke the current session; its token is refused afterwards' })
  @ApiNoContentResponse({ description: 'Session revoked' })
  @ApiUnauthorizedResponse(unauthorized)
  async logout(@CurrentUser() user: AuthUser): Promise<void> {
    await this.auth.logout(user);
  }

  @Post('logout-all')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke every session of the signed-in user (bumps session_version)' })
  @ApiOkResponse({ type: LogoutAllResponseDto })
  @ApiUnauthorizedResponse(unauthorized)
  logoutAll(@CurrentUser() user: AuthUser): Promise<LogoutAllResponseDto> {
    return this.auth.logoutAll(user);
  }

  @Get('sessions')
  @ApiBearerAuth()
  @ApiOperation({ summary: "The signed-in user's active sessions, newest first" })
  @ApiOkResponse({ type: SessionsResponseDto })
  @ApiUnauthorizedResponse(unauthorized)
  sessions(@CurrentUser() user: AuthUser): Promise<SessionsResponseDto> {
    return this.auth.activeSessions(user);
  }
}
