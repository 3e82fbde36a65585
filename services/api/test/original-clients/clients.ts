import type { Test } from 'supertest';
import type { TestApp } from '../support/test-app';

/**
 * The original ChefCloud clients' requests, header for header, as
 * ../shared/reference/original-clients.md describes them. Each helper sends exactly what that
 * client sends, so the suites check the API the way the client meets it.
 */

/** The JWT payload, read the way the web does (no verification, base64url JSON). */
export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}

/**
 * The web backoffice's axios instance (`web/lib/api.ts`): always `Content-Type: application/json`
 * and `X-Client-Platform: web`; with the `auth_token` cookie, `Authorization: Bearer` and
 * `x-org-id` set to the token payload's `orgId`.
 */
export function webClient(t: TestApp, token?: string) {
  const headers = (req: Test): Test => {
    req.set('Content-Type', 'application/json').set('X-Client-Platform', 'web');
    if (token) req.set('Authorization', `Bearer ${token}`).set('x-org-id', String(jwtPayload(token).orgId));
    return req;
  };
  return {
    get: (path: string) => headers(t.http.get(path)),
    post: (path: string, body?: object) => {
      const req = headers(t.http.post(path));
      return body === undefined ? req : req.send(body);
    },
  };
}

/** The web's `login()` (`web/lib/auth.ts:113-146`): `POST /auth/login {email, password}`, nothing else. */
export async function webLogin(t: TestApp, email: string, password: string): Promise<WebLogin> {
  const res = await webClient(t).post('/auth/login', { email, password });
  if (res.status !== 200) throw new Error(`web login as ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as WebLogin;
}

/** What the web reads of a login answer. */
export interface WebLogin {
  access_token: string;
  user: {
    id: string;
    email: string;
    firstName: string;
    lastName: string;
    roleLevel: string;
    jobRole?: string | null;
    orgId: string;
    branchId?: string | null;
  };
}

/**
 * The web's landing route for a job role (`web/contexts/AuthContext.tsx:35-57` with
 * `web/config/roleCapabilities.ts`); a missing or unknown jobRole behaves like MANAGER.
 */
export function webLandingRoute(jobRole: string | null | undefined): string {
  const routes: Record<string, string> = {
    OWNER: '/dashboard',
    MANAGER: '/dashboard',
    ACCOUNTANT: '/finance/accounts',
    PROCUREMENT: '/inventory',
    STOCK_MANAGER: '/inventory',
    SUPERVISOR: '/pos',
    CASHIER: '/pos',
    WAITER: '/pos',
    BARTENDER: '/pos',
    CHEF: '/kds',
    EVENT_MANAGER: '/reservations',
  };
  return routes[jobRole ?? ''] ?? routes.MANAGER;
}

/** An operator's curl from the runbook (GUIDE): a bearer token and a JSON body. */
export function operator(t: TestApp, token: string) {
  const auth = (req: Test): Test => req.set('Authorization', `Bearer ${token}`);
  return {
    get: (path: string) => auth(t.http.get(path)),
    post: (path: string, body?: object) => {
      const req = auth(t.http.post(path));
      return body === undefined ? req : req.set('Content-Type', 'application/json').send(body);
    },
    patch: (path: string) => auth(t.http.patch(path)),
  };
}
