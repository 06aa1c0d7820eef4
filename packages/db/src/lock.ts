import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DbError } from './errors.ts';

/** What the lock file says about the process that owns a PGlite data directory. */
export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

export const LOCK_FILE = 'sitewright.lock';

/** Lock files this process holds, so a lock naming our own pid can be told apart from a stale one. */
const heldByThisProcess = new Set<string>();

/**
 * PGlite is an in-process database: two processes opening one data directory each believe they own
 * it, and both silently lose committed rows. A lock file created with O_EXCL names the owner; a second
 * process gets a clear error. A lock left by a dead process on this host is taken over.
 */
export function acquireDataDirLock(dir: string): { release: () => void; owner: LockOwner } {
  const path = join(dir, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const existing = readLockOwner(path);
      if (existing && isHeldByLiveProcess(existing, heldByThisProcess.has(path))) {
        throw new DbError(
          'data_dir_locked',
          `The database in ${dir} is in use by process ${existing.pid} on ${existing.hostname} (since ${existing.startedAt}). ` +
            'Stop that process, or give this one another DATA_DIR (or a DATABASE_URL to share Postgres).',
        );
      }
      // Stale lock from a process that is gone: remove it and try once more.
      try {
        unlinkSync(path);
      } catch {}
      continue;
    }
    writeSync(fd, JSON.stringify(owner));
    closeSync(fd);
    heldByThisProcess.add(path);
    let released = false;
    return {
      owner,
      release: () => {
        if (released) return;
        released = true;
        heldByThisProcess.delete(path);
        const current = readLockOwner(path);
        if (current?.pid === owner.pid && current.hostname === owner.hostname) {
          try {
            unlinkSync(path);
          } catch {}
        }
      },
    };
  }
  throw new DbError(
    'data_dir_locked',
    `Could not take the lock ${path}; another process keeps recreating it.`,
  );
}

export function readLockOwner(path: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string') return null;
    return { pid: parsed.pid, hostname: parsed.hostname, startedAt: String(parsed.startedAt ?? 'unknown') };
  } catch {
    return null;
  }
}

function isHeldByLiveProcess(owner: LockOwner, heldHere: boolean): boolean {
  // A lock written on another host (a shared volume) cannot be checked from here: respect it.
  if (owner.hostname !== hostname()) return true;
  // Our own pid: either we hold it (a second open in this process) or a previous incarnation with
  // the same pid left it behind (a restarted container, where the server is often pid 1).
  if (owner.pid === process.pid) return heldHere;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
