// Helpers shared by the repository scripts (plain Node, no dependencies: they run before install).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs a command with inherited stdio; resolves with its exit code. */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    child.on('error', (error) => {
      console.error(`could not run ${command}: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** A binary installed in node_modules/.bin of the root or of a workspace package. */
export function localBin(name, packageDir = '.') {
  const path = join(root, packageDir, 'node_modules', '.bin', name);
  if (!existsSync(path))
    throw new Error(`${name} is not installed; run the install step first (pnpm install)`);
  return path;
}

/** Builds the dashboard with Vite (no turbo or pnpm needed on PATH). */
export function buildWeb() {
  return run(localBin('vite', 'apps/web'), ['build', '--logLevel', 'warn'], { cwd: join(root, 'apps/web') });
}

export function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    console.error(`Sitewright needs Node.js 20.19 or newer (this is ${process.versions.node}).`);
    process.exit(1);
  }
}
