import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { strictObject, uuid } from '../../src/http/input/fields.js';
import { buildOpenApiDocument } from '../../src/http/openapi/document.js';
import { defineRoute } from '../../src/http/routing/define-route.js';
import { createRouteTable } from '../../src/http/routing/route-table.js';

function appWithRoutes() {
  const app = Fastify({ logger: false });
  const table = createRouteTable(app);
  defineRoute(app, {
    method: 'POST', url: '/widgets/:id/parts', roles: ['operator'],
    params: strictObject({ id: uuid() }), body: strictObject({ count: z.number().int().min(1) }),
    headers: { 'idempotency-key': 'required' }, summary: 'Add parts',
    responses: { 200: { description: 'Added', headers: ['etag'] }, 409: { description: 'Full', problemTypes: ['widget-full'] } },
  }, async () => ({}));
  app.get('/undeclared', async () => ({}));
  return { app, table };
}

describe('the route table', () => {
  it('records every route, declared or not, and the methods of a concrete path', () => {
    const { table } = appWithRoutes();
    expect(table.routes().map((r) => `${r.method} ${r.url} ${r.spec ? 'declared' : 'plain'}`)).toEqual([
      'POST /widgets/:id/parts declared', 'GET /undeclared plain', 'HEAD /undeclared plain',
    ]);
    expect(table.allowedMethods('/widgets/0b7c/parts')).toEqual(['POST']);
    expect(table.allowedMethods('/widgets/0b7c/parts/x')).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  const { table } = appWithRoutes();
  const doc = buildOpenApiDocument(table.routes()) as any;
  const operation = doc.paths['/widgets/{id}/parts'].post;

  it('leaves out routes not declared with defineRoute, so the coverage test catches them', () => {
    expect(Object.keys(doc.paths)).toEqual(['/widgets/{id}/parts']);
  });

  it('turns the validating zod schemas into parameters and a request body', () => {
    expect(operation.parameters).toContainEqual(expect.objectContaining({ name: 'id', in: 'path', required: true }));
    expect(operation.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }));
    expect(operation.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object', properties: { count: { type: 'integer', minimum: 1 } }, required: ['count'], additionalProperties: false,
    });
  });

  it('lists roles, the shell\'s problems and the route\'s own', () => {
    expect(operation['x-roles']).toEqual(['operator']);
    expect(operation.description).toContain('Roles: operator');
    expect(operation.responses['200'].headers).toHaveProperty('ETag');
    expect(operation.responses['200'].headers).toHaveProperty('Cache-Control');
    expect(operation.responses['401']['x-problem-types']).toEqual(['unauthorized']);
    expect(operation.responses['409']['x-problem-types']).toEqual(['request-in-progress', 'widget-full']);
    expect(operation.responses['413']['x-problem-types']).toEqual(['payload-too-large']);
  });
});
