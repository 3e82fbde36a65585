import { randomFill } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';

/**
 * Run libuv's thread pool (where bcrypt hashes, and async fs, dns and crypto run) at a lower CPU
 * priority than the event loop (Linux: `setpriority` on each pool thread's id).
 *
 * Why: on a small instance the hashing threads can fill every core during a login storm, and
 * the event loop then waits for a core behind them, so liveness and every other request slow
 * down although nothing blocks the loop. With the pool at nice 10 (a CPU weight ~10x lower) the
 * loop gets a core whenever it has work, and the hashes take what is left: login throughput is
 * unchanged while the loop is idle. Raising one's own nice value needs no privilege.
 *
 * Which threads: Node 22 names them `libuv-worker`. Node 20 does not, so they are found as the
 * threads that appear when the pool starts (`randomFill` runs on it; call this before anything
 * else uses the pool). Elsewhere (not Linux, no /proc) nothing changes.
 */
export interface PoolPriority {
  /** The thread ids set to `nice`; empty when they could not be identified. */
  threads: number[];
  nice: number;
  /** Why nothing was changed, when nothing was. */
  skipped?: string;
}

const TASKS = '/proc/self/task';

function threadIds(): number[] {
  return fs.readdirSync(TASKS).map(Number);
}

function threadName(tid: number): string {
  try {
    return fs.readFileSync(`${TASKS}/${tid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

export async function lowerThreadPoolPriority(nice: number): Promise<PoolPriority> {
  if (nice === 0) return { threads: [], nice, skipped: 'THREADPOOL_NICE=0' };
  if (process.platform !== 'linux' || !fs.existsSync(TASKS))
    return { threads: [], nice, skipped: 'not Linux (no /proc/self/task)' };
  const before = new Set(threadIds());
  // A task on the pool: it starts the pool's threads if nothing has used it yet.
  await new Promise<void>((resolve, reject) =>
    randomFill(Buffer.alloc(1), (error) => (error ? reject(error) : resolve())),
  );
  const now = threadIds();
  const named = now.filter((tid) => threadName(tid) === 'libuv-worker');
  const threads = named.length ? named : now.filter((tid) => !before.has(tid) && tid !== process.pid);
  if (!threads.length)
    return { threads, nice, skipped: 'the pool had started before and its threads carry no name (Node < 22)' };
  for (const tid of threads) os.setPriority(tid, nice);
  return { threads, nice };
}
