/**
 * The login baseline: raw bcrypt.compare throughput at a cost and a concurrency, in a process of
 * its own (so it has its own libuv thread pool, like the API). Prints one JSON line.
 * Usage: node bcrypt-worker.js <cost> <concurrency> <seconds>
 */
import bcrypt from 'bcrypt';

async function main(): Promise<void> {
  const [cost, concurrency, seconds] = process.argv.slice(2).map(Number);
  const hash = await bcrypt.hash('ChefCloud-demo-2025', cost);
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  const started = Date.now();
  const lane = async () => {
    while (Date.now() < deadline) {
      await bcrypt.compare('ChefCloud-demo-2025', hash);
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  process.stdout.write(
    `${JSON.stringify({ comparesPerSecond: done / ((Date.now() - started) / 1000), compares: done })}\n`,
  );
}

void main();
