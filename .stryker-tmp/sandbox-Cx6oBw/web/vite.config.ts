// @ts-nocheck
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The console is static files: `npm start` builds them (local/static.ts) and serves them at `/`;
// in AWS they go to S3 behind CloudFront (infra/web-console.ts). No inline script or style, so
// that the Content-Security-Policy can be `'self'` only.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
