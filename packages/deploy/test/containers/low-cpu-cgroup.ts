/**
 * A CPU weight for `docker build` that holds against the host's own processes. `--cpu-shares`
 * weighs a build only against the engine's other containers: the engine's cgroup as a whole
 * still competes with every host process at full weight, so beside CI's npm test a cold build
 * (npm ci and tsc in the image, ~8 minutes there) took CPU from the tests. With cgroup v1 and
 * the engine's cgroupfs driver, the build goes under a cgroup of its own at the machine's root
 * (`--cgroup-parent`) whose weight is `shares` against the host's processes: it gets only what
 * they leave idle. Elsewhere (cgroup v2, the systemd driver, no permission) it falls back to
 * `--cpu-shares`.
 */
import fs from 'node:fs';
import path from 'node:path';

const CGROUP_ROOT = '/sys/fs/cgroup';

export interface BuildCpuWeight {
  /** The `docker build` options. */
  args: string[];
  /** How the weight is applied, for the report. */
  how: string;
  /** Removes the cgroup (in every controller the engine made it in). */
  remove(): void;
}

export function buildCpuWeight(name: string, shares: number, cgroupDriver: string): BuildCpuWeight {
  const fallback: BuildCpuWeight = {
    args: ['--cpu-shares', String(shares)],
    how: `--cpu-shares ${shares} (weight among containers only)`,
    remove: () => undefined,
  };
  const cpu = path.join(CGROUP_ROOT, 'cpu');
  if (cgroupDriver !== 'cgroupfs' || !fs.existsSync(path.join(cpu, 'cpu.shares'))) return fallback;
  try {
    fs.mkdirSync(path.join(cpu, name), { recursive: true });
    fs.writeFileSync(path.join(cpu, name, 'cpu.shares'), String(shares));
  } catch {
    return fallback;
  }
  return {
    args: ['--cgroup-parent', `/${name}`],
    how: `cgroup /${name} at cpu.shares ${shares} (weight against the host's processes)`,
    remove: () => {
      // The engine makes the parent in each controller; each is empty once the build is done.
      for (const controller of fs.readdirSync(CGROUP_ROOT)) {
        const dir = path.join(CGROUP_ROOT, controller, name);
        try {
          if (fs.existsSync(dir)) fs.rmdirSync(dir);
        } catch {
          /* not empty or not ours to remove: left as found */
        }
      }
    },
  };
}
