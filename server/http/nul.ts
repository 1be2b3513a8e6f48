import type { FastifyRequest } from 'fastify';
import { HttpProblem } from './problem.ts';

const NUL = '\u0000';

interface Visit {
  value: unknown;
  key: string | null;
  parent: Visit | null;
}

const pathOf = (visit: Visit | null, last?: string) => {
  const keys = last === undefined ? [] : [last];
  for (let v = visit; v; v = v.parent) if (v.key !== null) keys.push(v.key);
  return keys.reverse().join('.');
};

/**
 * The path (`contact.name`, `themes.0`, as in field errors) of the first string or key in `value`
 * that contains a NUL character, or null. Linear in the size of `value` and without recursion, so
 * no nesting a 1 MB body allows overflows the stack or takes long.
 */
export function findNul(value: unknown): string | null {
  const stack: Visit[] = [{ value, key: null, parent: null }];
  while (stack.length) {
    const visit = stack.pop()!;
    const current = visit.value;
    if (typeof current === 'string') {
      if (current.includes(NUL)) return pathOf(visit);
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    const entries: [string, unknown][] = Array.isArray(current) ? current.map((v, i) => [String(i), v]) : Object.entries(current);
    for (const [key] of entries) if (key.includes(NUL)) return pathOf(visit, key.replaceAll(NUL, ''));
    // Pushed in reverse, so the first field in document order is reported first.
    for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], key: entries[i]![0], parent: visit });
  }
  return null;
}

/**
 * PostgreSQL cannot store NUL in text or JSON, so it must never reach a query: a request with one
 * anywhere in its body, query string or path parameters is refused as a field error (400) naming the
 * first such field, before validation and before any route runs.
 */
export async function refuseNul(request: FastifyRequest) {
  for (const [context, value] of [['body', request.body], ['querystring', request.query], ['params', request.params]] as const) {
    const field = findNul(value);
    if (field !== null) throw new HttpProblem(400, 'validation.failed', {}, [{ field: field || context, key: 'validation.nul' }]);
  }
}
