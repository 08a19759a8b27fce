import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../routing/define-route.js';
import type { RouteTable } from '../routing/route-table.js';
import { buildOpenApiDocument } from './document.js';

/** GET /openapi.json: public, it describes the API and carries no data. */
export function registerOpenApi(app: FastifyInstance, table: RouteTable): void {
  let document: Record<string, unknown> | undefined;
  defineRoute(app, {
    method: 'GET', url: '/openapi.json', roles: 'public',
    summary: 'This API description (OpenAPI 3.1), generated from the schemas that validate requests',
    responses: { 200: { description: 'The OpenAPI document' } },
  }, async () => {
    // Built on first use: by then every route, whichever module declared it, is registered.
    document ??= buildOpenApiDocument(table.routes());
    return document;
  });
}
