import { defineProject } from 'vitest/config';

/** Settings every package's tests share; each package adds its own name. */
export function packageProject(name: string) {
  return defineProject({
    test: {
      name,
      include: ['src/**/*.test.ts'],
      // Integration tests start databases and processes; the defaults are for pure unit tests.
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  });
}
