/**
 * libuv's thread pool (bcrypt) runs below the event loop's CPU priority in the built API, so a
 * login storm that fills every core with hashing never makes the loop wait for a core (see
 * src/lifecycle/thread-pool-priority.ts; the effect is measured by `npm run bench`: liveness
 * during the login storm). Linux only: elsewhere the API leaves priorities alone.
 */
import fs from 'node:fs';
import { startApiProcess, type ApiProcess } from './support/api-process';

/** The nice value of every thread of a process, by thread id. */
function niceByThread(pid: number): Map<number, number> {
  const nice = new Map<number, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`).map(Number)) {
    // /proc/<pid>/task/<tid>/stat: the fields after "(comm) "; nice is field 19, the 17th of those.
    const fields = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
    nice.set(tid, Number(fields[16]));
  }
  return nice;
}

describe('thread pool priority (built API, Linux)', () => {
  let api: ApiProcess | undefined;
  afterEach(async () => {
    await api?.stop();
    api = undefined;
  });
  // No database is needed to boot (liveness answers; readiness would be 503).
  const start = (env: NodeJS.ProcessEnv = {}) =>
    startApiProcess({ DATABASE_URL: 'postgresql://nobody:x@127.0.0.1:1/none', ...env });

  it('puts the pool threads at THREADPOOL_NICE (default 10) and leaves the event loop at 0, saying so', async () => {
    api = await start();
    const nice = niceByThread(api.child.pid!);
    expect(nice.get(api.child.pid!)).toBe(0);
    const lowered = [...nice.values()].filter((n) => n === 10);
    // UV_THREADPOOL_SIZE threads (4 by default), and nothing else but the pool.
    expect(lowered).toHaveLength(4);
    expect(api.output()).toContain('thread pool (4 threads) at nice 10, below the event loop');
  });

  it('leaves every thread alone with THREADPOOL_NICE=0', async () => {
    api = await start({ THREADPOOL_NICE: '0' });
    expect([...niceByThread(api.child.pid!).values()].every((n) => n === 0)).toBe(true);
    expect(api.output()).toContain('thread pool priority unchanged: THREADPOOL_NICE=0');
  });
});
