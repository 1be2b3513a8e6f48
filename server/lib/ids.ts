import { z } from 'zod';

/**
 * A record's id in a path, and the message key that says there is no such record ("Der findes ingen
 * kontrakt med id …"). A value that is no UUID names no record either, so it is answered as an unknown
 * id is, 404 with that message (http/problem.ts), instead of a 400 about the path's format; it never
 * reaches PostgreSQL, whose uuid cast would refuse it (SQLSTATE 22P02).
 */
const notFoundKeys = new WeakMap<z.ZodType, string>();

export function recordId(notFoundKey: string) {
  const schema = z.uuid({ error: notFoundKey });
  notFoundKeys.set(schema, notFoundKey);
  return schema;
}

/** `{ id }` path parameters naming one record. */
export const idParams = (notFoundKey: string) => z.object({ id: recordId(notFoundKey) });

export interface RecordParam {
  name: string;
  notFoundKey: string;
  schema: z.ZodType;
}

/** The path parameters a route's `params` schema declares with `recordId`, in declaration order. */
export function recordParamsOf(paramsSchema: unknown): RecordParam[] {
  if (!(paramsSchema instanceof z.ZodObject)) return [];
  const found: RecordParam[] = [];
  for (const [name, schema] of Object.entries(paramsSchema.shape as Record<string, z.ZodType>)) {
    const notFoundKey = notFoundKeys.get(schema);
    if (notFoundKey) found.push({ name, notFoundKey, schema });
  }
  return found;
}

/** Whether a text can be a record's id at all: one that cannot names no record (the CLI's check; routes use `recordId`). */
export const isRecordId = (value: string) => z.uuid().safeParse(value).success;
