// The shared parts of the API description: security, the problem object, and every
// header the API gives meaning to, each described once and referenced by operations.
import { PROBLEM_TYPE_BASE } from '../problems/problem-error.js';
import type { RequestHeader, ResponseHeader } from '../routing/define-route.js';

export const REQUEST_HEADER_PARAMETERS: Record<RequestHeader, 'IdempotencyKey' | 'IfMatch' | 'IfNoneMatch'> = {
  'idempotency-key': 'IdempotencyKey',
  'if-match': 'IfMatch',
  'if-none-match': 'IfNoneMatch',
};

export const RESPONSE_HEADERS: Record<ResponseHeader, 'ETag' | 'Location' | 'IdempotentReplayed'> = {
  etag: 'ETag',
  location: 'Location',
  'idempotent-replayed': 'IdempotentReplayed',
};

const stringSchema = { type: 'string' };

export const components = {
  securitySchemes: {
    bearer: {
      type: 'http',
      scheme: 'bearer',
      description: 'A token configured in API_TOKENS; each token has one role (client, support, operator). Each operation lists the roles it accepts in `x-roles`.',
    },
  },
  schemas: {
    Problem: {
      type: 'object',
      description: `RFC 9457 problem details. \`type\` is ${PROBLEM_TYPE_BASE}<slug>; each error response lists its slugs in \`x-problem-types\`.`,
      properties: {
        type: { type: 'string', format: 'uri' },
        title: stringSchema,
        status: { type: 'integer' },
        detail: stringSchema,
        traceId: stringSchema,
        errors: {
          type: 'array',
          description: 'validation-failed: every failing field',
          items: { type: 'object', properties: { field: stringSchema, detail: stringSchema }, required: ['field', 'detail'] },
        },
      },
      required: ['type', 'title', 'status', 'detail'],
    },
  },
  parameters: {
    IdempotencyKey: {
      name: 'Idempotency-Key', in: 'header', schema: { type: 'string', pattern: '^"?[\\x21\\x23-\\x7e]{1,255}"?$' },
      description: 'IETF Idempotency-Key draft: the same key and body replay the first response; the same key with another body gets 422; while the first is running, 409. Scoped per caller.',
    },
    IfMatch: {
      name: 'If-Match', in: 'header', schema: { type: 'string', examples: ['"3"'] },
      description: 'RFC 9110 If-Match: `*` or a list of entity-tags of the version the request expects, compared strongly (a weak tag never matches). No match gets 412; a malformed value gets 400.',
    },
    IfNoneMatch: {
      name: 'If-None-Match', in: 'header', schema: { type: 'string', examples: ['"3"', '*'] },
      description: 'RFC 9110 If-None-Match: on a read, 304 when a listed tag matches (weak comparison); on PUT /products/{sku}, `*` means create-only (412 when it exists). A malformed value gets 400.',
    },
  },
  headers: {
    ETag: { description: 'The version of the order (or product), to send back as If-Match or If-None-Match', schema: { type: 'string', examples: ['"3"'] } },
    Location: { description: 'Where the created or changed resource is read', schema: stringSchema },
    IdempotentReplayed: { description: '`true` when this is the stored response of an earlier request with the same Idempotency-Key', schema: { type: 'string', enum: ['true'] } },
    CacheControl: { description: '`no-store` on every response carrying personal or order data, errors included', schema: { type: 'string', enum: ['no-store'] } },
    WWWAuthenticate: { description: 'The bearer challenge', schema: stringSchema },
    Allow: { description: 'The methods the path accepts', schema: stringSchema },
    RetryAfter: { description: 'Seconds to wait before retrying', schema: stringSchema },
  },
} as const;

type HeaderComponent = keyof typeof components.headers;

const HEADER_NAMES: Record<HeaderComponent, string> = {
  ETag: 'ETag',
  Location: 'Location',
  IdempotentReplayed: 'Idempotent-Replayed',
  CacheControl: 'Cache-Control',
  WWWAuthenticate: 'WWW-Authenticate',
  Allow: 'Allow',
  RetryAfter: 'Retry-After',
};

/** A response's `headers` member: the header names as sent, each referring to its component. */
export function headerRefs(names: readonly string[]): Record<string, { $ref: string }> {
  return Object.fromEntries(names.map((name) => [HEADER_NAMES[name as HeaderComponent], { $ref: `#/components/headers/${name}` }]));
}
