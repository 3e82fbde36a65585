import fs from 'node:fs';
import path from 'node:path';

/**
 * Run a process with a CPU quota, as Render's starter instance (half a CPU) would: a cgroup of
 * its own with `quota / period = fraction`. cgroup v2 (`cpu.max`) when the unified hierarchy has
 * the cpu controller, else cgroup v1 (`cpu.cfs_quota_us`). Needs write access to the cgroup
 * filesystem (root, or a delegated subtree); `null` when neither is possible — the caller
 * reports that and measures without a quota.
 */
export interface CpuLimit {
  /** How the limit is applied, for the report. */
  how: string;
  /** Shell prefix that moves the shell into the cgroup, then `exec`s the command. */
  wrap(command: string[]): string[];
  remove(): void;
}

const PERIOD_US = 100_000;

function tryCreate(dir: string, write: (dir: string) => void): boolean {
  try {
    fs.mkdirSync(dir);
  } catch {
    return false;
  }
  try {
    write(dir);
    return true;
  } catch {
    fs.rmdirSync(dir);
    return false;
  }
}

export function createCpuLimit(fraction: number, root = '/sys/fs/cgroup'): CpuLimit | null {
  const quota = Math.round(PERIOD_US * fraction);
  const name = `chefcloud-bench-${process.pid}-${Date.now()}`;
  const candidates: { dir: string; how: string; write: (dir: string) => void }[] = [];
  const v2Controllers = path.join(root, 'cgroup.controllers');
  if (fs.existsSync(v2Controllers) && fs.readFileSync(v2Controllers, 'utf8').split(/\s+/).includes('cpu'))
    candidates.push({
      dir: path.join(root, name),
      how: `cgroup v2 cpu.max "${quota} ${PERIOD_US}"`,
      write: (dir) => fs.writeFileSync(path.join(dir, 'cpu.max'), `${quota} ${PERIOD_US}`),
    });
  const v1 = path.join(root, 'cpu');
  if (fs.existsSync(path.join(v1, 'cpu.cfs_quota_us')))
    candidates.push({
      dir: path.join(v1, name),
      how: `cgroup v1 cpu.cfs_quota_us=${quota} per cpu.cfs_period_us=${PERIOD_US}`,
      write: (dir) => {
        fs.writeFileSync(path.join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
        fs.writeFileSync(path.join(dir, 'cpu.cfs_quota_us'), String(quota));
      },
    });
  for (const c of candidates) {
    if (!tryCreate(c.dir, c.write)) continue;
    const procs = path.join(c.dir, 'cgroup.procs');
    return {
      how: c.how,
      wrap: (command) => ['/bin/sh', '-c', `echo $$ > '${procs}' && exec "$@"`, 'cpu-limited', ...command],
      remove: () => {
        try {
          fs.rmdirSync(c.dir);
        } catch {
          /* still has a process: the kernel frees it with the last one */
        }
      },
    };
  }
  return null;
}

/** Resident set size of a running process in MiB (Linux /proc), NaN elsewhere. */
export function rssMiB(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
