import { defineConfig } from 'drizzle-kit';

// Migrations are generated from src/schema.ts and named: `pnpm db:generate --name <what-changed>`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './migrations',
  casing: 'snake_case',
});
