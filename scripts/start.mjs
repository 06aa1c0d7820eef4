// `pnpm start`: build the dashboard, then run the single-process server (API + runner + web).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildWeb, checkNode, root } from './lib.mjs';

checkNode();
const built = await buildWeb();
if (built !== 0) process.exit(built);
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const server = spawn(process.execPath, ['--import', tsx, join(root, 'apps/api/src/main.ts')], {
  stdio: 'inherit',
});
// The server shuts down gracefully on these signals; this wrapper only passes them on and waits, so a
// Ctrl+C (sent to the whole group) or a `kill` of this process both stop the server cleanly.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (server.exitCode === null) server.kill(signal);
  });
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
