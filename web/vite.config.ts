import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// Built into the package (dist/web) and served by the gateway at `/`. During development
// `npx vite web` proxies the API to a gateway on SWITCHBOARD_URL (default http://127.0.0.1:8080).
const gateway = process.env['SWITCHBOARD_URL'] ?? 'http://127.0.0.1:8080';
const proxied = ['/api', '/auth', '/events', '/mcp', '/health', '/docs'];

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: Object.fromEntries(proxied.map((p) => [p, { target: gateway, changeOrigin: false }])) },
});
