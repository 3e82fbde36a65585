import { PassThrough } from 'node:stream';
import type { DynamicModule, Provider, Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AppModule, GLOBAL_ENHANCERS } from './app.module';
import { JwtAuthGuard } from './auth/jwt/jwt-auth.guard';
import { RolesGuard } from './auth/roles/roles.guard';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { loadConfig } from './config/app-config';
import { WriteBlockGuard } from './maintenance/write-block.guard';

const ENHANCER_TOKENS = new Set<unknown>([APP_GUARD, APP_FILTER, APP_PIPE, APP_INTERCEPTOR]);
const isEnhancer = (p: Provider): p is Provider & { provide: unknown } =>
  typeof p === 'object' && 'provide' in p && ENHANCER_TOKENS.has(p.provide);
const classOf = (p: Provider) => (typeof p === 'object' && 'useClass' in p ? p.useClass : undefined);

const root = AppModule.forRoot(loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgresql://localhost/x' }, false), {
  logDestination: new PassThrough(),
});

/** Every module reachable from the root, with the providers it declares (static and dynamic). */
function modulesFrom(entry: Type | DynamicModule, seen = new Map<unknown, Provider[]>()): Map<unknown, Provider[]> {
  const dynamic = typeof entry === 'object' ? entry : undefined;
  const type: Type = dynamic ? dynamic.module : (entry as Type);
  const key = dynamic ?? type;
  if (seen.has(key)) return seen;
  const providers = [
    ...((Reflect.getMetadata('providers', type) as Provider[] | undefined) ?? []),
    ...(dynamic?.providers ?? []),
  ];
  seen.set(key, providers);
  const imports = [
    ...((Reflect.getMetadata('imports', type) as (Type | DynamicModule)[] | undefined) ?? []),
    ...((dynamic?.imports ?? []) as (Type | DynamicModule)[]),
  ];
  for (const imported of imports) if (imported) modulesFrom(imported, seen);
  return seen;
}

describe('global guards, pipe and filter (app.module.ts)', () => {
  it('run the guards in this order: JWT (401) → roles (403) → write block (503)', () => {
    const guards = (root.providers ?? []).filter((p) => isEnhancer(p) && p.provide === APP_GUARD).map(classOf);
    expect(guards).toEqual([JwtAuthGuard, RolesGuard, WriteBlockGuard]);
  });

  it('register the exception filter and the validation pipe in the same list', () => {
    expect(root.providers).toBe(GLOBAL_ENHANCERS);
    const filter = GLOBAL_ENHANCERS.find((p) => isEnhancer(p) && p.provide === APP_FILTER);
    expect(filter && classOf(filter)).toBe(AllExceptionsFilter);
    expect(GLOBAL_ENHANCERS.some((p) => isEnhancer(p) && p.provide === APP_PIPE)).toBe(true);
  });

  it('are registered nowhere else: no other module declares a global guard, filter, pipe or interceptor', () => {
    const modules = modulesFrom(root);
    expect(modules.size).toBeGreaterThan(8);
    const elsewhere = [...modules]
      .filter(([key]) => key !== root)
      .flatMap(([key, providers]) =>
        providers.filter(isEnhancer).map(() => (typeof key === 'function' ? key.name : String(key))),
      );
    expect(elsewhere).toEqual([]);
  });
});
