import { createHash } from 'node:crypto';

/**
 * SHA-256 in hex. Tokens (sessions, invitation and cancellation links) are stored only as this, so a
 * leaked table does not leak a link or session that still works.
 */
export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** What is stored of a token handed out in a cookie or a link. */
export const hashToken = sha256Hex;

/** JSON with object keys sorted and undefined members left out: the same value always gives the same text (idempotency keys). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
