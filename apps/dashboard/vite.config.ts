import path from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const API_ORIGIN = 'http://127.0.0.1:3000';
/** Names this build in the bundle and in index.html, so an open wall notices a deploy and reloads. */
const BUILD_ID =
  process.env.STOCKWALL_BUILD_ID ?? `${new Date().toISOString()}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * The wall dashboard. Built from the repository root with
 * `npx vite build --config apps/dashboard/vite.config.ts`; the API serves dist/dashboard.
 */
export default defineConfig({
  root: __dirname,
  base: '/',
  plugins: [
    svelte({ configFile: false, compilerOptions: { runes: true } }),
    {
      name: 'stockwall-build-id',
      transformIndexHtml: () => [
        { tag: 'meta', attrs: { name: 'stockwall-build', content: BUILD_ID }, injectTo: 'head' },
      ],
    },
  ],
  define: { __STOCKWALL_BUILD__: JSON.stringify(BUILD_ID) },
  resolve: {
    alias: {
      '@stockwall/contracts': path.resolve(__dirname, '../../libs/contracts/src/index.ts'),
    },
  },
  build: {
    outDir: path.resolve(__dirname, '../../dist/dashboard'),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': { target: API_ORIGIN, changeOrigin: true },
      '/health': { target: API_ORIGIN, changeOrigin: true },
      '/socket.io': { target: API_ORIGIN, changeOrigin: true, ws: true },
    },
  },
});
