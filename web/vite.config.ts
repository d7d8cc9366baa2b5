/**
 * The web UI build: `vite build web` (npm's prepare step) writes web/dist/, which src/http/static.ts serves.
 * `npm run dev:web` serves the sources with hot reload and sends API requests to a server on :9696.
 */
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const api = process.env.TESSERA_URL ?? 'http://127.0.0.1:9696';

export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline scripts or data: URLs, so the strict Content-Security-Policy needs no exceptions.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
  server: {
    proxy: Object.fromEntries(['/api', '/docs', '/.well-known', '/healthz', '/readyz'].map((p) => [p, { target: api, changeOrigin: false }])),
  },
});
