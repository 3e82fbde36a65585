import { spawn } from 'node:child_process';

/**
 * A password spray from a process of its own at the lowest CPU priority (`nice -n 19`), as an
 * attacker's machine is: on Render the spray's sender is not on the API's instance, so its CPU
 * must not be the API's. Fired from the test's own process on a 2-core machine, the sender's
 * work (opening 200 connections, writing and reading 200 requests) runs at the API's priority
 * and deschedules its event loop for tens of milliseconds at a time (docs/reliability.md, "Login
 * spray"). Every login leaves at once; each answer's status, `Retry-After`, error code and time
 * since the spray started are returned.
 */
export interface SprayAnswer {
  status: number;
  retryAfter: string | null;
  code?: string;
  ms: number;
}

export interface LoginSpray {
  /** Every answer, in the order the logins were sent. */
  answers: Promise<SprayAnswer[]>;
}

// The sender's whole program (CommonJS, Node's global fetch): send every login at once, print
// 'sent' when all are on their way, then one JSON line with the answers.
const PROGRAM = `
const [url, logins] = [process.argv[1], JSON.parse(process.argv[2])];
const started = Date.now();
const answers = logins.map(({ ip, email, password }) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ email, password }),
  }).then(async (res) => ({
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    code: (await res.json()).code,
    ms: Date.now() - started,
  }), (error) => ({ status: 0, retryAfter: null, code: String(error), ms: Date.now() - started })),
);
process.stdout.write('sent\\n');
Promise.all(answers).then((all) => process.stdout.write(JSON.stringify(all) + '\\n'));
`;

export interface SprayLogin {
  ip: string;
  email: string;
  password: string;
}

/** Start the spray; resolves once every login has been sent (the answers come later). */
export async function startLoginSpray(loginUrl: string, logins: SprayLogin[]): Promise<LoginSpray> {
  // `nice` sets the priority before Node starts, so every thread of the sender inherits it.
  const child = spawn('nice', ['-n', '19', process.execPath, '-e', PROGRAM, loginUrl, JSON.stringify(logins)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('sent\n')) resolve();
    });
    void exited.then((code) => reject(new Error(`the spray's sender exited with ${code} before sending: ${out}`)));
  });
  return {
    answers: exited.then((code) => {
      if (code !== 0) throw new Error(`the spray's sender exited with ${code}: ${out}`);
      return JSON.parse(out.slice('sent\n'.length)) as SprayAnswer[];
    }),
  };
}
