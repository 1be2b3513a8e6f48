/**
 * How the API describes itself (GET /api/openapi.json): one place for what every operation shares, so a
 * route declares only its own operationId, inputs and 2xx answers. Every 4xx is the same
 * application/problem+json document; a route reachable without a session (`config.public`) says
 * `security: []`. `npm run lint:api` holds the document to Redocly's recommended rules.
 */
import type { FastifyDynamicSwaggerOptions, SwaggerOptions } from '@fastify/swagger';
import type { FastifyRequest } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** The problem document every error answers with (RFC 9457), in the caller's language. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  /** The request's id (also the `x-request-id` header), on the server's log lines for this request. */
  requestId: z.string().meta({ description: 'The id of the request, also sent as the x-request-id header and on the server log lines of the request: quote it when reporting an error.' }),
});

/** The problem document as it travels (the web's ApiError reads it). */
export type ProblemDocument = z.infer<typeof problemSchema>;

const { $schema: _dialect, ...problemJsonSchema } = z.toJSONSchema(problemSchema, { target: 'openapi-3.0' }) as Record<string, unknown>;

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

type Transform = NonNullable<FastifyDynamicSwaggerOptions['transform']>;

/** The route's own description, plus what every operation shares: problem answers and, for public routes, no security. */
export const openApiTransform: Transform = (input) => {
  const out = jsonSchemaTransform(input as Parameters<typeof jsonSchemaTransform>[0]) as { schema: Record<string, unknown>; url: string };
  const schema = { ...out.schema };
  if (schema.hide) return out;
  const isPublic = Boolean((input.route as { config?: { public?: boolean } } | undefined)?.config?.public);
  const responses = { ...((schema.response as Record<string, unknown> | undefined) ?? {}) };
  if (!isPublic) {
    responses['401'] ??= problemResponse('Not signed in, or the session has ended.');
    responses['403'] ??= problemResponse('Signed in, but the policy does not allow this.');
  }
  responses['4XX'] ??= problemResponse('Refused: a field error (400, with `errors`), unknown (404), in conflict with the current version (409), or too many requests (429).');
  schema.response = responses;
  if (isPublic) schema.security = [];
  return { ...out, schema };
};

export function openApiDocument(publicUrl: string): NonNullable<Extract<SwaggerOptions, { openapi?: unknown }>['openapi']> {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Knudepunkt API',
      version: '1',
      description: 'The shared platform of the Danish business-promotion system. Every error is application/problem+json in the language the request asks for (Accept-Language: da or en).',
      license: { name: 'EUPL-1.2', url: 'https://eupl.eu/1.2/en/' },
    },
    servers: [{ url: publicUrl, description: 'This Knudepunkt server (PUBLIC_URL)' }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'kp_session', description: 'The session cookie set by POST /api/v1/auth/login.' },
        csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token', description: 'The csrfToken from the session; required on every request that changes something.' },
      },
      schemas: { Problem: problemJsonSchema },
    },
    security: [{ session: [], csrf: [] }],
  } as NonNullable<Extract<SwaggerOptions, { openapi?: unknown }>['openapi']>;
}

/** For tests: a 2xx an API route sends must be one its schema declares (else the document lies about it). */
export function refuseUndeclaredStatus<T>(request: FastifyRequest, status: number, payload: T): T {
  if (status < 200 || status >= 300 || !request.url.startsWith('/api/v1/')) return payload;
  const declared = Object.keys((request.routeOptions.schema?.response as Record<string, unknown> | undefined) ?? {});
  if (!declared.includes(String(status)) && !declared.includes('2XX')) {
    throw new Error(`${request.method} ${request.routeOptions.url} sent ${status}, which its schema does not declare (declared: ${declared.join(', ') || 'none'})`);
  }
  return payload;
}

// A file (a string or a Buffer) is sent as it is: fastify never hands it to the serialiser. The schema
// only describes it to the OpenAPI document (a binary string), so it is typed as what the route sends.
const fileSchema = z.string().meta({ format: 'binary' }) as unknown as z.ZodType<string | Buffer, string | Buffer>;

/** A 200 answer of files of the given media types (and `json`, if given, as JSON), as fastify and the OpenAPI document take it. */
export function fileResponse<J extends z.ZodType = never>(description: string, mediaTypes: readonly string[], json?: J) {
  return {
    description,
    content: {
      ...(json ? { 'application/json': { schema: json } } : {}),
      ...Object.fromEntries(mediaTypes.map((type) => [type, { schema: fileSchema }])),
    } as Record<string, { schema: J | typeof fileSchema }>,
  };
}
