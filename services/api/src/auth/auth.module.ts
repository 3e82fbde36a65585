import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ClockModule } from '../common/clock/clock.module';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { MetricsModule } from '../metrics/metrics.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt/jwt.strategy';
import { VerifiedTokenCache } from './jwt/verified-token-cache';
import { PasswordHasher } from './passwords/password-hasher';
import { EmployeeProfilesRepository } from './pos/employee-profiles.repository';
import { PosAuthController } from './pos/pos-auth.controller';
import { PosAuthService } from './pos/pos-auth.service';
import { SessionValidator } from './sessions/session-validator';
import { SessionsRepository } from './sessions/sessions.repository';
import { LoginThrottleService, THROTTLE_STORE } from './throttle/login-throttle.service';
import { LoginThrottleRepository } from './throttle/login-throttle.repository';

/**
 * Login (password; PIN and badge for the POS), sessions and authorisation. Its guards (JwtAuthGuard: every route needs a bearer token
 * unless @Public; RolesGuard: @Roles minimum level) are registered globally, in order, by the
 * app module (app.module.ts, GLOBAL_ENHANCERS); this module exports what JwtAuthGuard needs.
 */
@Module({
  imports: [
    ClockModule,
    MetricsModule,
    UsersModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.jwt.secret,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, PosAuthController],
  providers: [
    AuthService,
    PosAuthService,
    EmployeeProfilesRepository,
    SessionsRepository,
    SessionValidator,
    PasswordHasher,
    JwtStrategy,
    { provide: VerifiedTokenCache, useValue: new VerifiedTokenCache() },
    LoginThrottleService,
    LoginThrottleRepository,
    { provide: THROTTLE_STORE, useExisting: LoginThrottleRepository },
  ],
  exports: [SessionValidator, VerifiedTokenCache],
})
export class AuthModule {}
