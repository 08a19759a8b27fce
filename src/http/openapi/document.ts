// The OpenAPI 3.1 description, generated from the routes as registered: the same zod
// schemas that validate requests become its JSON Schemas, so it cannot drift from them.
import { z } from 'zod';
import type { RequestHeader, ResponseSpec, RouteSpec } from '../routing/define-route.js';
import type { RegisteredRoute } from '../routing/route-table.js';
import { components, headerRefs, REQUEST_HEADER_PARAMETERS, RESPONSE_HEADERS } from './components.js';
import { problemResponses } from './errors.js';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

/** Request-side JSON Schema (what a client sends, before normalization). */
function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function fieldParameters(schema: z.ZodType | undefined, location: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const { properties = {}, required = [] } = jsonSchema(schema);
  return Object.entries(properties).map(([name, property]) => ({
    name, in: location, required: location === 'path' || required.includes(name), schema: property,
  }));
}

function parameters(spec: RouteSpec): unknown[] {
  // Inlined rather than referenced: whether the header is required differs per operation.
  const headers = Object.entries(spec.headers ?? {}).map(([header, presence]) => ({
    ...components.parameters[REQUEST_HEADER_PARAMETERS[header as RequestHeader]],
    required: presence === 'required',
  }));
  return [...fieldParameters(spec.params, 'path'), ...fieldParameters(spec.query, 'query'), ...headers];
}

function successContent(response: ResponseSpec): Record<string, unknown> {
  return response.contentType ? { [response.contentType]: { schema: { type: 'string' } } } : { 'application/json': { schema: { type: 'object' } } };
}

function successResponses(spec: RouteSpec, withBody: boolean): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    if (Number(status) >= 400) continue;
    const named = (response.headers ?? []).map((h) => RESPONSE_HEADERS[h]);
    const headers = [...(spec.roles === 'public' ? [] : ['CacheControl']), ...named];
    responses[status] = {
      description: response.description,
      headers: headerRefs(headers),
      ...(withBody && Number(status) !== 204 ? { content: successContent(response) } : {}),
    };
  }
  return responses;
}

function operation(route: RegisteredRoute & { spec: RouteSpec }): Record<string, unknown> {
  const { spec, method } = route;
  const isHead = method === 'HEAD';
  const roles = spec.roles === 'public' ? [] : [...spec.roles];
  const who = roles.length === 0 ? 'Public: no token needed.' : `Roles: ${roles.join(', ')}.`;
  return {
    operationId: operationId(method, route.url),
    summary: isHead ? `${spec.summary} (headers only)` : spec.summary,
    description: [spec.description, who].filter(Boolean).join('\n\n'),
    security: roles.length === 0 ? [] : [{ bearer: [] }],
    'x-roles': roles,
    parameters: parameters(spec),
    ...(spec.body && !isHead
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body) } } } }
      : {}),
    responses: { ...successResponses(spec, !isHead), ...problemResponses(spec) },
  };
}

function operationId(method: string, url: string): string {
  const words = url.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1));
  return method.toLowerCase() + words.join('');
}

/** `/orders/:id` → `/orders/{id}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

export function buildOpenApiDocument(routes: readonly RegisteredRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (!route.spec) continue; // undocumented routes are caught by the API description test
    const path = (paths[openApiPath(route.url)] ??= {});
    path[route.method.toLowerCase()] = operation(route as RegisteredRoute & { spec: RouteSpec });
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'cqrs-orders',
      version: '1',
      description: [
        'Order commands write to PostgreSQL; reads come from projections and carry their freshness.',
        'Every error is application/problem+json (RFC 9457). Every path answers OPTIONS with an Allow header;',
        'other methods get 405 with Allow. Malformed HTTP gets 400, oversized headers 431, slow requests 408.',
      ].join(' '),
    },
    components,
    paths,
  };
}
