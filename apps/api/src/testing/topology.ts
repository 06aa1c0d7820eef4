/**
 * The production topology on plain processes: a private Postgres cluster, API processes with
 * RUNNER_ENABLED=false and runner-only processes (`runner.ts`), with the environment
 * docker-compose.yml gives its `app` and `runner` services. Tests use it to kill runners and restart
 * the database under load; `pnpm topology` starts it for a person to look at.
 *
 * Every child runs in its own process group, so killing one takes its Chromium along (as when a
 * container dies), and nothing outlives the process that started the topology: `stop()` ends it all,
 * and an exit hook kills whatever is left if the caller never got there.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort } from './server-process.ts';

const apiEntry = fileURLToPath(new URL('../main.ts', import.meta.url));
const runnerEntry = fileURLToPath(new URL('../runner.ts', import.meta.url));
const tsxLoader = pathToFileURL(
  join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/loader.mjs'),
).href;

/** Enough of each child's output to explain a failure without flooding a report. */
const OUTPUT_TAIL_CHARS = 12_000;
const START_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;

// ------------------------------------------------------------------------------------------ Postgres

/** The newest `/usr/lib/postgresql/<version>/bin` holding initdb and pg_ctl, if any. */
export function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((version) => existsSync(join(root, version, 'bin', 'initdb')))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

const isRoot = () => process.getuid?.() === 0;

/** Why a private cluster cannot be started here, or null when it can. */
export function postgresUnavailable(): string | null {
  if (!findPostgresBin()) return 'no Postgres binaries under /usr/lib/postgresql/*/bin';
  if (isRoot()) {
    // initdb refuses to run as root: the cluster belongs to the `postgres` system user.
    const probe = spawnSync('runuser', ['-u', 'postgres', '--', 'true'], { stdio: 'ignore' });
    if (probe.status !== 0) return 'running as root without runuser or a postgres user';
  }
  return null;
}

export interface PostgresCluster {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  /** Fast shutdown (clients are disconnected), then start again after `downMs`. */
  restart(options?: { downMs?: number }): Promise<void>;
  /** The tail of the server log. */
  log(): string;
  /** Stops the server and removes its files. Idempotent. */
  stop(): Promise<void>;
  /** For exit hooks: an immediate stop that blocks. */
  stopSync(): void;
}

/**
 * initdb + pg_ctl start on a free port in a temporary directory, tuned for tests (no fsync). As root,
 * both run as the `postgres` user (`runuser`), which owns the directory — as `.ci/run` does it.
 */
export async function startPostgresCluster(options: { port?: number } = {}): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('No Postgres binaries found under /usr/lib/postgresql/*/bin');
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'sitewright-topology-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const password = randomBytes(12).toString('hex');
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, password, { mode: 0o600 });
  if (isRoot()) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  else chmodSync(dir, 0o700);

  const command = (tool: string, args: string[]): [string, string[]] =>
    isRoot() ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  const run = (tool: string, args: string[]) => runTool(...command(tool, args), dir);
  const serverOptions = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c max_connections=200',
  ].join(' ');
  const start = () =>
    run('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions, 'start']);
  const stopServer = () => run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);

  let stopped = false;
  const removeFiles = () => rmSync(dir, { recursive: true, force: true });
  try {
    await run('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      `--pwfile=${passwordFile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--no-sync',
      '--no-locale',
      '-E',
      'UTF8',
    ]);
    await start();
  } catch (error) {
    removeFiles();
    throw error;
  }

  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    async restart({ downMs = 1_000 } = {}) {
      await stopServer();
      await delay(downMs);
      await start();
    },
    log: () => tail(existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopServer().catch(() => {});
      removeFiles();
    },
    stopSync() {
      if (stopped) return;
      stopped = true;
      const [file, args] = command('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      spawnSync(file, args, { cwd: dir, stdio: 'ignore' });
      removeFiles();
    },
  };
}

/**
 * Runs a command to its exit; rejects with its stderr. Waits for `exit`, not `close`: the server that
 * `pg_ctl start` leaves running must never hold up the caller, whatever it inherited.
 */
function runTool(file: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${[file, ...args].join(' ')} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

// ----------------------------------------------------------------------------------------- processes

export interface TopologyProcess {
  /** `api-1`, `runner-2`, … */
  name: string;
  role: 'api' | 'runner';
  /** `http://127.0.0.1:<port>`: the API and dashboard, or a runner's health and metrics. */
  url: string;
  port: number;
  child: ChildProcess;
  /** The id a runner writes into `runner_leases` (`<hostname>:<pid>`, as deps.ts builds it). */
  runnerId: string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Set before a deliberate kill or stop, so that exit is not counted as a crash. */
  exitExpected: boolean;
  /** Resolves once the process has exited. */
  exited: Promise<void>;
  /** The tail of its stdout and stderr. */
  output(): string;
}

export interface TopologyOptions {
  apis?: number;
  runners?: number;
  /** RUNNER_LEASE_TTL_MS: how fast a dead runner's projects are taken over (default 4000 ms). */
  leaseTtlMs?: number;
  logLevel?: string;
  /** First port to use (APIs, then runners, consecutively); free ports otherwise. */
  basePort?: number;
  /** More variables for every process (they win over the defaults). */
  env?: Record<string, string>;
  /** Called with every line a child writes, prefixed by its name (the CLI prints them). */
  onOutput?: (name: string, line: string) => void;
}

export interface Topology {
  postgres: PostgresCluster;
  /** Shared by every process, as the compose data volume is. */
  dataDir: string;
  adminPassword: string;
  leaseTtlMs: number;
  apis: TopologyProcess[];
  runners: TopologyProcess[];
  /** Fast shutdown of Postgres, down for `downMs` (default 1 s), then up again. */
  restartPostgres(options?: { downMs?: number }): Promise<void>;
  /** Signals a runner (SIGKILL: its whole process group, like a container dying) and waits for it to exit. */
  killRunner(index: number, signal?: NodeJS.Signals): Promise<void>;
  /** Processes that exited without being killed or stopped (a crash), each with how it ended. */
  crashes(): string[];
  /** Every process' output and the Postgres log, for error messages. */
  describe(): string;
  /** SIGTERM to every process (SIGKILL after 10 s), then Postgres down and files removed. Idempotent. */
  stop(): Promise<void>;
}

/** Starts Postgres, then the APIs and runners at once, and resolves when every one is ready. */
export async function startTopology(options: TopologyOptions = {}): Promise<Topology> {
  const apiCount = options.apis ?? 2;
  const runnerCount = options.runners ?? 3;
  const leaseTtlMs = options.leaseTtlMs ?? 4_000;
  const adminPassword = `topology-${randomBytes(9).toString('base64url')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'sitewright-topology-data-'));
  // The children's working directory: empty, so no developer's .env slips into them.
  const workDir = mkdtempSync(join(tmpdir(), 'sitewright-topology-cwd-'));
  const processes: TopologyProcess[] = [];
  let postgres: PostgresCluster | undefined;

  const killEverything = () => {
    for (const proc of processes) killGroup(proc.child, 'SIGKILL');
    postgres?.stopSync();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(workDir, { recursive: true, force: true });
  };
  process.once('exit', killEverything);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await Promise.all(processes.map((proc) => stopProcess(proc)));
      await postgres?.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(workDir, { recursive: true, force: true });
      process.off('exit', killEverything);
    })();
    return stopping;
  };

  const describe = () =>
    [
      ...processes.map((proc) => `--- ${proc.name} (${proc.url}) ---\n${proc.output() || '(no output)'}`),
      `--- postgres ---\n${postgres?.log() || '(no log)'}`,
    ].join('\n');

  try {
    postgres = await startPostgresCluster();
    const ports: number[] = [];
    for (let i = 0; i < apiCount + runnerCount; i++)
      ports.push(options.basePort ? options.basePort + i : await freePort());
    const apiUrl = `http://127.0.0.1:${ports[0]}`;
    const shared: Record<string, string> = {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: postgres.url,
      JWT_SECRET_KEY: randomBytes(48).toString('base64'),
      DEFAULT_ADMIN_PASSWORD: adminPassword,
      RUNNER_LEASE_TTL_MS: String(leaseTtlMs),
      LOG_LEVEL: options.logLevel ?? 'warn',
      // Without it each process derives the sites' public address from its own PORT.
      PUBLIC_BASE_URL: apiUrl,
      ...options.env,
    };
    for (let i = 0; i < apiCount; i++) {
      const port = ports[i] as number;
      processes.push(
        spawnProcess(`api-${i + 1}`, 'api', apiEntry, port, workDir, options.onOutput, {
          ...shared,
          PORT: String(port),
          RUNNER_ENABLED: 'false',
        }),
      );
    }
    for (let i = 0; i < runnerCount; i++) {
      const port = ports[apiCount + i] as number;
      processes.push(
        spawnProcess(`runner-${i + 1}`, 'runner', runnerEntry, port, workDir, options.onOutput, {
          ...shared,
          PORT: String(port),
          SHUTDOWN_TIMEOUT_MS: '5000',
        }),
      );
    }
    await Promise.all(processes.map((proc) => waitForReady(proc, START_TIMEOUT_MS)));
  } catch (error) {
    const detail = describe();
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${detail}`);
  }

  const cluster = postgres;
  const runners = processes.filter((proc) => proc.role === 'runner');
  return {
    postgres: cluster,
    dataDir,
    adminPassword,
    leaseTtlMs,
    apis: processes.filter((proc) => proc.role === 'api'),
    runners,
    restartPostgres: (restartOptions) => cluster.restart(restartOptions),
    async killRunner(index, signal = 'SIGKILL') {
      const runner = runners[index];
      if (!runner) throw new Error(`there is no runner ${index}`);
      runner.exitExpected = true;
      if (signal === 'SIGKILL') killGroup(runner.child, 'SIGKILL');
      else runner.child.kill(signal);
      await runner.exited;
    },
    crashes: () =>
      processes
        .filter((proc) => !proc.alive() && !proc.exitExpected)
        .map((proc) => `${proc.name} ${describeExit(proc.child)}`),
    describe,
    stop,
  };
}

function spawnProcess(
  name: string,
  role: 'api' | 'runner',
  entry: string,
  port: number,
  cwd: string,
  onOutput: TopologyOptions['onOutput'],
  env: Record<string, string>,
): TopologyProcess {
  const passThrough = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'CHROMIUM_PATH'].flatMap((key) => {
    const value = process.env[key];
    return value === undefined ? [] : [[key, value] as const];
  });
  const child = spawn(process.execPath, ['--import', tsxLoader, entry], {
    cwd,
    env: { ...Object.fromEntries(passThrough), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a SIGKILL of the group takes its Chromium along.
    detached: true,
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8').on('data', (chunk: string) => {
      output = tail(output + chunk);
      if (!onOutput) return;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onOutput(name, line);
    });
  }
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      onOutput?.(name, describeExit(child));
      resolve();
    }),
  );
  return {
    name,
    role,
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    runnerId: `${hostname()}:${child.pid}`,
    alive: () => child.exitCode === null && child.signalCode === null,
    exitExpected: false,
    exited,
    output: () => output,
  };
}

function describeExit(child: ChildProcess): string {
  return child.signalCode ? `exited on ${child.signalCode}` : `exited with code ${child.exitCode}`;
}

/** Polls `/api/ready` (database up and migrated) until 200; fails at once if the process exits. */
async function waitForReady(proc: TopologyProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (!proc.alive()) throw new Error(`${proc.name} exited before it was ready`);
    try {
      const response = await fetch(`${proc.url}/api/ready`, { signal: AbortSignal.timeout(5_000) });
      await response.body?.cancel();
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await delay(200);
  }
  throw new Error(`${proc.name} was not ready within ${timeoutMs / 1000} s (last: ${last})`);
}

async function stopProcess(proc: TopologyProcess): Promise<void> {
  proc.exitExpected = true;
  if (proc.alive()) {
    proc.child.kill('SIGTERM');
    await Promise.race([proc.exited, delay(STOP_GRACE_MS)]);
  }
  // Whatever is left in its group (a Chromium after a hard kill, or a process that would not stop).
  killGroup(proc.child, 'SIGKILL');
  await proc.exited;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

function tail(text: string): string {
  return text.length > OUTPUT_TAIL_CHARS ? text.slice(-OUTPUT_TAIL_CHARS) : text;
}
