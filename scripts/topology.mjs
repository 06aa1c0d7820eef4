// `pnpm topology`: the production topology on plain processes, to try it without containers — a
// private Postgres, API processes (RUNNER_ENABLED=false) and runner processes sharing one DATA_DIR.
//   pnpm topology [--apis 2] [--runners 3] [--port FIRST_PORT] [--lease-ttl-ms 10000]
// Type `kill N` to SIGKILL runner N, `pg` to restart Postgres; Ctrl-C stops everything and removes
// the database and the data directory.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';
import { checkNode, root } from './lib.mjs';

checkNode();
const { values } = parseArgs({
  options: {
    apis: { type: 'string', default: '2' },
    runners: { type: 'string', default: '3' },
    port: { type: 'string' },
    'lease-ttl-ms': { type: 'string', default: '10000' },
  },
});
const count = (name, min) => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < min) {
    console.error(`--${name} must be a whole number of at least ${min}`);
    process.exit(1);
  }
  return value;
};
const apis = count('apis', 1);
const runners = count('runners', 1);
const leaseTtlMs = count('lease-ttl-ms', 1000);
const basePort = values.port === undefined ? undefined : count('port', 1);

register();
const { postgresUnavailable, startTopology } = await import('../apps/api/src/testing/topology.ts');
const unavailable = postgresUnavailable();
if (unavailable) {
  console.error(
    `Cannot start a private Postgres: ${unavailable}. Install PostgreSQL (apt-get install postgresql).`,
  );
  process.exit(1);
}
if (!existsSync(join(root, 'apps/web/dist/index.html'))) {
  console.log(
    'The dashboard is not built; the APIs answer, but build it to use it: pnpm --filter @sitewright/web build',
  );
}

console.log(`Starting Postgres, ${apis} API process(es) and ${runners} runner(s)…`);
const topology = await startTopology({
  apis,
  runners,
  leaseTtlMs,
  basePort,
  onOutput: (name, line) => console.log(`[${name}] ${line}`),
}).catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

console.log(`
Postgres   ${topology.postgres.url}
DATA_DIR   ${topology.dataDir}
${topology.apis.map((api) => `API        ${api.url}   (${api.name}, pid ${api.child.pid})`).join('\n')}
${topology.runners.map((runner, i) => `runner ${i + 1}   ${runner.url}/metrics   ${runner.url}/api/ready   (pid ${runner.child.pid})`).join('\n')}

Sign in on any API as admin with password ${topology.adminPassword}
Leases last ${leaseTtlMs} ms without a heartbeat: a killed runner's projects move to another within that.
Type \`kill N\` to SIGKILL runner N, \`pg\` to restart Postgres; Ctrl-C stops everything.
`);

let stopping = false;
async function shutdown() {
  if (stopping) process.exit(1); // a second Ctrl-C: the exit hook kills what is left
  stopping = true;
  console.log('Stopping…');
  await topology.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

const input = createInterface({ input: process.stdin });
input.on('line', async (line) => {
  const command = line.trim();
  const kill = /^kill\s+(\d+)$/.exec(command);
  try {
    if (kill) {
      const index = Number(kill[1]) - 1;
      await topology.killRunner(index, 'SIGKILL');
      console.log(`runner ${index + 1} killed`);
    } else if (command === 'pg') {
      const started = Date.now();
      await topology.restartPostgres();
      console.log(`Postgres restarted in ${Date.now() - started} ms`);
    } else if (command !== '') {
      console.log('Commands: kill N · pg · Ctrl-C to stop');
    }
  } catch (error) {
    console.log(error instanceof Error ? error.message : String(error));
  }
});
// Without a terminal (stdin closed at once) the topology keeps running until a signal.
input.on('close', () => {});
