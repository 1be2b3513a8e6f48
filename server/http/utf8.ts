import type { FastifyInstance } from 'fastify';
import { HttpProblem } from './problem.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON is UTF-8 (RFC 8259), but Fastify's own parser decodes leniently: Latin-1 bytes from an old
 * client become U+FFFD and would silently overwrite good names. The raw body is decoded strictly
 * instead; anything that is not UTF-8 is refused as a 400 naming the body, before any route runs.
 * Parsing itself stays Fastify's (empty body, prototype poisoning, invalid JSON answers unchanged).
 */
export function parseJsonAsStrictUtf8(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = strictUtf8.decode(body as Buffer);
    } catch {
      done(new HttpProblem(400, 'validation.invalidUtf8', {}, [{ field: 'body', key: 'validation.invalidUtf8' }]), undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
