import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the API runs on :8888 (`pnpm dev` at the root); in production it serves dist/ itself.
const apiOrigin = 'http://localhost:8888';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist' },
  server: {
    proxy: {
      '/api': apiOrigin,
      '/ws': { target: apiOrigin, ws: true },
      '/preview': apiOrigin,
    },
  },
});
