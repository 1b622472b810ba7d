// Builds the web UI (src/) into dist/, which the hub serves at `/`. `npm run dev` serves it
// with hot reload and sends /api to a hub on LEDWATCH_HUB_URL (default http://127.0.0.1:8080).
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: false },
  server: { proxy: { '/api': { target: process.env.LEDWATCH_HUB_URL ?? 'http://127.0.0.1:8080', changeOrigin: true } } },
});
