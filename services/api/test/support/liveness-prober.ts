import { spawn } from 'node:child_process';

/**
 * An external liveness prober, as Render's health checker (or a load balancer) is: a process of
 * its own that GETs a URL every `intervalMs` and records each answer's time. Measuring from the
 * test's own process would add the test's work (firing and reading hundreds of requests) to
 * every probe's time: what is measured here is the API's answer, not the test's event loop.
 */
export interface Probes {
  statuses: number[];
  /** Each probe's time (ms). */
  ms: number[];
  /** When each probe started (Date.now()). */
  at: number[];
}

export interface LivenessProber {
  /** Stop probing; every probe's status, time and start, in order. */
  stop(): Promise<Probes>;
}

// The prober's whole program (CommonJS, Node's global fetch): a few warm-up probes, not recorded
// (the prober's own first fetches compile undici's code and open its connection: tens of ms
// that are the prober's, not the API's), then probe until stdin closes or `maxProbes` are done,
// and print one JSON line.
const PROGRAM = `
const [url, intervalMs, maxProbes] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const WARM_UP = 5;
const statuses = [], ms = [], at = [];
let stopping = false;
process.stdin.on('end', () => (stopping = true)).resume();
const probe = async () => {
  const started = Date.now(), t0 = performance.now();
  let status = 0;
  try { const res = await fetch(url); await res.arrayBuffer(); status = res.status; } catch {}
  return { status, ms: performance.now() - t0, started };
};
(async () => {
  for (let i = 0; i < WARM_UP; i++) { await probe(); await new Promise((r) => setTimeout(r, intervalMs)); }
  process.stdout.write('ready\\n');
  while (!stopping && ms.length < maxProbes) {
    const p = await probe();
    statuses.push(p.status); ms.push(p.ms); at.push(p.started);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  process.stdout.write(JSON.stringify({ statuses, ms, at }) + '\\n');
})();
`;

export async function startLivenessProber(url: string, intervalMs = 20, maxProbes = 2_000): Promise<LivenessProber> {
  const child = spawn(process.execPath, ['-e', PROGRAM, url, String(intervalMs), String(maxProbes)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // Running once its warm-up probes have answered (so the measurement covers what follows).
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
      return JSON.parse(out.slice('ready\n'.length)) as Probes;
    },
  };
}
