// Finds a Chromium for the browser tests; installs Debian's package when it is missing and allowed.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { run } from './lib.mjs';

const candidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

export function findChromium() {
  if (process.env.CHROMIUM_PATH)
    return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  return candidates.find((path) => existsSync(path)) ?? null;
}

function hasCommand(name) {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Returns the browser path, or null with a printed explanation of what to install. */
export async function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  if (process.env.CHROMIUM_PATH) {
    console.error(`CHROMIUM_PATH points at ${process.env.CHROMIUM_PATH}, which does not exist.`);
    return null;
  }
  const isRoot = process.getuid?.() === 0;
  if (isRoot && hasCommand('apt-get')) {
    console.log('Chromium is missing: installing Debian\'s "chromium" package for the browser tests…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if ((await run('apt-get', ['update', '-qq'], { env })) === 0) {
      await run('apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-dejavu-core'], { env });
    }
    const installed = findChromium();
    if (installed) return installed;
  }
  console.error(
    [
      'The browser tests need Chromium and none was found.',
      '  Debian/Ubuntu: sudo apt-get install -y chromium   (or chromium-browser)',
      '  macOS:         brew install --cask chromium',
      '  Or point CHROMIUM_PATH at any Chromium or Chrome binary, or set SKIP_E2E=1 to skip browser tests.',
    ].join('\n'),
  );
  return null;
}
