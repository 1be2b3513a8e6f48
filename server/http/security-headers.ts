import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { SHELL_GUARD_CSP_SOURCE } from './public-shell.ts';

/** The security headers' policy: a strict CSP, HSTS and upgraded requests in production only. */
export function helmetOptions(production: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // The one inline script: the pre-rendered public pages' language guard (public-shell.ts).
        scriptSrc: ["'self'", SHELL_GUARD_CSP_SOURCE],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: production ? [] : null,
      },
    },
    hsts: production,
  };
}

/**
 * The headers helmet sets for `options`, worked out once. Nothing in the policy depends on the
 * request (no nonces, no functions), so every answer gets the same set; @fastify/helmet instead
 * built a new helmet middleware on every request (issue 17).
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number) => {
      headers[name.toLowerCase()] = String(value);
    },
    // X-Powered-By: Fastify never sets it.
    removeHeader: () => {},
  } as unknown as ServerResponse;
  let finished = false;
  helmet(options)({} as IncomingMessage, response, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  // Helmet runs synchronously; if a later version did not, the headers would be incomplete.
  if (!finished) throw new Error('helmet did not finish synchronously');
  return headers;
}

/** Sets helmet's headers on every answer, as early as @fastify/helmet did (onRequest), so errors and 404s carry them too. */
export function addSecurityHeaders(app: FastifyInstance, production: boolean) {
  const headers = Object.entries(helmetHeaders(helmetOptions(production)));
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
