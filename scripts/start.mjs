// `pnpm start`: build the dashboard, then run the single-process server (API + runner + web).
import { join } from 'node:path';
import { buildWeb, checkNode, root, run } from './lib.mjs';

checkNode();
const built = await buildWeb();
if (built !== 0) process.exit(built);
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs');
const code = await run(process.execPath, ['--import', `file://${tsx}`, join(root, 'apps/api/src/main.ts')], {
  // Signals reach the server directly; this script only waits for it.
  stdio: 'inherit',
});
process.exit(code);
