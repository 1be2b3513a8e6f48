import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { prerenderPublicPages } from './scripts/prerender-public-pages.ts';

const fromRoot = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/**
 * dkfds' @font-face rules list EOT, WOFF, WOFF2 and TTF, the regular weight with EOT and WOFF first,
 * so a browser fetches those instead of WOFF2 and the build copies every format. Every supported
 * browser reads WOFF2: keep only that source.
 */
function woff2Only(): Plugin {
  return {
    name: 'knudepunkt:woff2-only',
    enforce: 'pre',
    transform(code, id) {
      if (!/dkfds[/\\]dist[/\\]css[/\\].*\.css$/.test(id.split('?')[0]!)) return null;
      return code.replace(/@font-face\s*\{[^}]*\}/g, (rule) =>
        rule.replace(/src:([^;}]*)/, (whole, sources: string) => {
          const woff2 = sources.split(/,(?=\s*url\()/).find((s) => /format\(["']woff2["']\)/.test(s));
          return woff2 ? `src:${woff2.trim()}` : whole;
        }),
      );
    },
  };
}

/**
 * Brotli (quality 11) and gzip (level 9) copies beside every compressible file of the build, done
 * once here instead of on every response; the server sends them with @fastify/static's preCompressed.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'knudepunkt:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      for (const entry of readdirSync(outDir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !/\.(js|mjs|css|html|svg|json|txt|map)$/.test(entry.name)) continue;
        const file = path.join(entry.parentPath, entry.name);
        const raw = readFileSync(file);
        // Below a packet's worth the headers cost more than compression saves.
        if (raw.length < 1024) continue;
        writeFileSync(`${file}.br`, brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } }));
        writeFileSync(`${file}.gz`, gzipSync(raw, { level: 9 }));
      }
    },
  };
}

// dkfds only exports its JS entry; let the app import the compiled CSS from the package.
const alias = [{ find: /^dkfds\/dist\/(.*)$/, replacement: `${fromRoot('./node_modules/dkfds/dist')}/$1` }];

export default defineConfig({
  root: fromRoot('./web'),
  // The public pages are pre-rendered after the bundle is written, before precompress() compresses the files.
  plugins: [react(), woff2Only(), prerenderPublicPages({ root: fromRoot('./web'), alias, plugins: [react()] }), precompress()],
  resolve: { alias },
  build: {
    outDir: fromRoot('./dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Everything the entry (the public pages) imports statically in one chunk, so a visitor's
          // browser fetches two scripts, not two dozen small ones, each paying a phone's round trip.
          // The back office stays split per page.
          groups: [{ name: 'public', tags: ['$initial'] }],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
});
