import { createChefCloudClient, type Schemas } from './index';

/** What the example reads: who is signed in, and the org's maintenance windows. */
export interface ExampleResult {
  user: Schemas['CurrentUserProfileDto'];
  windows: Schemas['MaintenanceWindowDto'][];
  total: number;
}

/**
 * The typed client in use: log in, read the signed-in user, list the maintenance windows.
 * Every path, body and response below is checked by the compiler against docs/openapi.json.
 */
export async function runExample(baseUrl: string, email: string, password: string): Promise<ExampleResult> {
  const anonymous = createChefCloudClient(baseUrl);
  const login = await anonymous.POST('/auth/login', { body: { email, password, platform: 'WEB_BACKOFFICE' } });
  if (!login.data) throw new Error(`login failed: ${login.response.status} ${login.error?.code ?? ''}`);

  const api = createChefCloudClient(baseUrl, login.data.access_token);
  const me = await api.GET('/me');
  if (!me.data) throw new Error(`GET /me failed: ${me.response.status} ${me.error?.code ?? ''}`);

  const list = await api.GET('/ops/maintenance', { params: { query: { page: 1, pageSize: 20 } } });
  if (!list.data) throw new Error(`GET /ops/maintenance failed: ${list.response.status} ${list.error?.code ?? ''}`);
  // A bare array (the original clients' shape); the total is in the X-Total-Count header.
  const total = Number(list.response.headers.get('X-Total-Count') ?? list.data.length);
  return { user: me.data, windows: list.data, total };
}

/** `node dist/example.js http://localhost:3001 owner@demo-bistro.test <password>` */
if (require.main === module) {
  const [baseUrl = 'http://localhost:3001', email = 'owner@demo-bistro.test', password = ''] = process.argv.slice(2);
  runExample(baseUrl, email, password).then(
    (result) => {
      process.stdout.write(
        `${result.user.email} (${result.user.roleLevel}) sees ${result.total} maintenance window(s)\n`,
      );
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
