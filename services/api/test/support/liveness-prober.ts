import { spawn } from 'node:child_process';

/**
 * An external liveness prober, as Render's health checker (or a load balancer) is: a process of
 * its own that GETs a URL every `intervalMs` and records each answer's time. Measuring from the
 * test's own process would add the test's work (firing and reading hundreds of requests) to
 * every probe's time: what is measured here is the API's answer, not the test's event loop.
 */
export interface LivenessProber {
  /** Stop probing; every probe's status and time (ms), in order. */
  stop(): Promise<{ statuses: number[]; ms: number[] }>;
}

// The prober's whole program (CommonJS, Node's global fetch): probe until stdin closes or
// `maxProbes` are done, then print one JSON line.
const PROGRAM = `
const [url, intervalMs, maxProbes] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const statuses = [], ms = [];
let stopping = false;
process.stdin.on('end', () => (stopping = true)).resume();
(async () => {
  while (!stopping && ms.length < maxProbes) {
    const t0 = performance.now();
    try { const res = await fetch(url); await res.arrayBuffer(); statuses.push(res.status); }
    catch { statuses.push(0); }
    ms.push(performance.now() - t0);
    if (ms.length === 1) process.stdout.write('ready\\n');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  process.stdout.write(JSON.stringify({ statuses, ms }) + '\\n');
})();
`;

export async function startLivenessProber(url: string, intervalMs = 20, maxProbes = 2_000): Promise<LivenessProber> {
  const child = spawn(process.execPath, ['-e', PROGRAM, url, String(intervalMs), String(maxProbes)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // Running once its first probe has answered (so the measurement covers what follows).
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('ready\n')) resolve();
    });
    void exited.then(() => reject(new Error(`the liveness prober exited before its first probe: ${out}`)));
  });
  return {
    async stop() {
      child.stdin.end();
      await exited;
      return JSON.parse(out.slice('ready\n'.length)) as { statuses: number[]; ms: number[] };
    },
  };
}
