import { defineConfig } from 'vitest/config';

// One run over every package: `pnpm test:unit` (and `pnpm test`, which adds the browser specs).
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/api'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
