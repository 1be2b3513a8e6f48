import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { createTestApp, type TestContext } from './helpers.ts';

/**
 * An app serving a built web root that `files` writes into a temporary directory; each compression
 * asked for is written beside a file, marked, so a test can tell which copy was sent.
 */
function servingWebRoot(files: (write: (file: string, body: string, compressions?: ('br' | 'gz')[]) => void) => void): () => FastifyInstance {
  let t: TestContext;
  let web: FastifyInstance;
  let root: string;
  beforeAll(async () => {
    t = await createTestApp();
    root = mkdtempSync(path.join(tmpdir(), 'kp-web-'));
    files((file, body, compressions = ['br', 'gz']) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), body);
      if (compressions.includes('br')) writeFileSync(path.join(root, `${file}.br`), brotliCompressSync(`${body}/*br*/`));
      if (compressions.includes('gz')) writeFileSync(path.join(root, `${file}.gz`), gzipSync(`${body}/*gz*/`));
    });
    web = await buildApp({ database: t.database, config: t.config, webRoot: root });
    await web.ready();
  });
  afterAll(async () => {
    await web.close();
    await t.close();
    rmSync(root, { recursive: true, force: true });
  });
  return () => web;
}

/**
 * Issue 17: the built web app is sent pre-compressed (the .br and .gz the build writes beside each
 * file), hashed assets are cached for a year without revalidation, and the app shell is always
 * revalidated so a deploy reaches every browser on its next page view.
 */
describe('serving the built web app', () => {
  const script = `console.log(${JSON.stringify('Knudepunkt '.repeat(200))});`;
  const shell = `<!doctype html><title>Knudepunkt</title><script type="module" src="/assets/index-AbC123.js"></script>${' '.repeat(2000)}`;
  const web = servingWebRoot((write) => {
    write('index.html', shell);
    write('assets/index-AbC123.js', script);
    write('assets/IBMPlexSans-Regular-XyZ789.woff2', 'wOF2', []);
  });

  it('sends brotli when the client accepts it, gzip when only that, the file itself otherwise', async () => {
    const br = await web().inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(`${script}/*br*/`);

    const gz = await web().inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(`${script}/*gz*/`);

    const plain = await web().inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);

    // A cache in between must keep the copies apart.
    for (const r of [br, gz, plain]) expect(r.headers.vary).toMatch(/accept-encoding/i);
  });

  it('caches hashed assets for a year as immutable, whatever the encoding', async () => {
    for (const encoding of ['br', 'gzip', 'identity']) {
      const r = await web().inject({ url: '/assets/index-AbC123.js', headers: { 'accept-encoding': encoding } });
      expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    const font = await web().inject({ url: '/assets/IBMPlexSans-Regular-XyZ789.woff2', headers: { 'accept-encoding': 'br' } });
    expect(font.statusCode).toBe(200);
    expect(font.headers['content-encoding']).toBeUndefined();
    expect(font.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('revalidates the app shell on every page view, on a client-side route too', async () => {
    for (const url of ['/index.html', '/tilbud', '/virksomheder/42611433']) {
      const r = await web().inject({ url, headers: { 'accept-encoding': 'br' } });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['cache-control'], url).toBe('no-cache');
      expect(r.headers['content-type'], url).toMatch(/^text\/html/);
      expect(r.headers['content-encoding'], url).toBe('br');
      expect(brotliDecompressSync(r.rawPayload).toString(), url).toBe(`${shell}/*br*/`);
    }
    const plain = await web().inject({ url: '/tilbud', headers: { 'accept-encoding': 'identity' } });
    expect(plain.body).toBe(shell);
    expect(plain.headers['cache-control']).toBe('no-cache');
  });

  it('answers 404 for a missing asset instead of the shell', async () => {
    const r = await web().inject({ url: '/assets/index-Old999.js', headers: { 'accept-encoding': 'br' } });
    expect(r.statusCode).toBe(404);
    expect(r.headers['cache-control'] ?? '').not.toContain('immutable');
  });
});

/**
 * Issue 17 (first paint on a phone): the build pre-renders the public pages (public-pages/<route>.html);
 * their routes get that file, every other route, and a public route with a search in its URL, the
 * plain app shell.
 */
describe('serving the pre-rendered public pages', () => {
  const page = (name: string) => `<!doctype html><title>${name}</title><div id="root"><h1>${name}</h1></div>${' '.repeat(2000)}`;
  const shell = `<!doctype html><title>Knudepunkt</title><div id="root"></div>${' '.repeat(2000)}`;
  const web = servingWebRoot((write) => {
    write('index.html', shell, ['br']);
    write('public-pages/tilbud.html', page('Find tilbud'), ['br']);
    write('public-pages/arrangementer/kalender.html', page('Arrangementer'), ['br']);
  });

  const get = async (url: string) => {
    const r = await web().inject({ url, headers: { 'accept-encoding': 'br' } });
    expect(r.statusCode, url).toBe(200);
    expect(r.headers['content-type'], url).toMatch(/^text\/html/);
    expect(r.headers['cache-control'], url).toBe('no-cache');
    expect(r.headers['content-encoding'], url).toBe('br');
    return brotliDecompressSync(r.rawPayload).toString();
  };
  // The brotli copy, as servingWebRoot marks it.
  const sent = (html: string) => `${html}/*br*/`;

  it('sends a public route its pre-rendered page, compressed and revalidated', async () => {
    expect(await get('/tilbud')).toBe(sent(page('Find tilbud')));
    expect(await get('/tilbud/')).toBe(sent(page('Find tilbud')));
    expect(await get('/arrangementer/kalender')).toBe(sent(page('Arrangementer')));
  });

  it('sends the plain shell to other routes and to a public route with a search in its URL', async () => {
    for (const url of ['/tilbud?q=eksport', '/tilbud/3f1c2b7e', '/arrangementer', '/virksomheder/42611433', '/', '/public-pages/tilbud']) {
      expect(await get(url), url).toBe(sent(shell));
    }
  });
});
