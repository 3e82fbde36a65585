import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './jwt/jwt-auth.guard';
import { JwtStrategy } from './jwt/jwt.strategy';
import { VerifiedTokenCache } from './jwt/verified-token-cache';
import { PasswordHasher } from './passwords/password-hasher';
import { RolesGuard } from './roles/roles.guard';
import { SessionValidator } from './sessions/session-validator';
import { SessionsRepository } from './sessions/sessions.repository';
import { LoginThrottleService, THROTTLE_STORE } from './throttle/login-throttle.service';
import { PostgresThrottleStore } from './throttle/postgres-throttle-store';

/**
 * Login, sessions and authorisation. Registers two global guards, in this order: JwtAuthGuard
 * (every route needs a bearer token unless @Public) and RolesGuard (@Roles minimum level).
 */
@Global()
@Module({
  imports: [
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
  controllers: [AuthController],
  providers: [
    AuthService,
    SessionsRepository,
    SessionValidator,
    PasswordHasher,
    JwtStrategy,
    { provide: VerifiedTokenCache, useValue: new VerifiedTokenCache() },
    LoginThrottleService,
    PostgresThrottleStore,
    { provide: THROTTLE_STORE, useExisting: PostgresThrottleStore },
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [SessionValidator],
})
export class AuthModule {}
