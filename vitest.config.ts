import { defineConfig } from 'vitest/config';

// One run over every package (`pnpm test:unit`; `pnpm test` adds the browser specs).
export default defineConfig({
  test: { projects: ['packages/*', 'apps/api', 'apps/web'] },
});
