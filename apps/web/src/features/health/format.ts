import type { DbHealth } from '@sitewright/contracts';

const driverLabels: Record<DbHealth['driver'], string> = {
  pglite: 'Embedded (PGlite)',
  postgres: 'PostgreSQL',
};

export function formatDriver(driver: DbHealth['driver']): string {
  return driverLabels[driver];
}

/** Sub-millisecond latencies are common on the embedded database, so keep one decimal below 10 ms. */
export function formatLatency(latencyMs: number): string {
  const digits = latencyMs < 10 ? 1 : 0;
  return `${latencyMs.toFixed(digits)} ms`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function formatTime(epochMs: number): string {
  return timeFormat.format(epochMs);
}
