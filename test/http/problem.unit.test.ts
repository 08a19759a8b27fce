import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { moneyCents, positiveInt, sku, strictObject } from '../../src/http/input/fields.js';
import { JsonInputError } from '../../src/http/input/strict-json.js';
import {
  PROBLEM_TYPE_BASE, ProblemError, badRequest, conflict, forbidden, formatFieldPath, notFound, payloadTooLarge,
  preconditionFailed, toClientProblem, unauthorized, unprocessable, unsupportedMediaType, zodProblem,
} from '../../src/http/problem.js';

const orderBody = strictObject({
  currency: z.string(),
  items: z.array(strictObject({ sku: sku(), quantity: positiveInt(100), priceCents: moneyCents() })),
});

function problemFor(input: unknown): ProblemError {
  const result = orderBody.safeParse(input);
  if (result.success) throw new Error('expected a validation failure');
  return zodProblem(result.error);
}

describe('ProblemError', () => {
  it('serialises to an RFC 9457 object with a type URI per kind of problem', () => {
    const problem = conflict('stock is reserved', { code: 'insufficient_stock' });
    expect(problem.toJSON()).toEqual({
      type: `${PROBLEM_TYPE_BASE}conflict`, title: 'Conflict', status: 409, detail: 'stock is reserved', code: 'insufficient_stock',
    });
    expect(JSON.parse(JSON.stringify(problem))).toEqual(problem.toJSON());
    expect(problem.statusCode).toBe(409);
    expect(problem).toBeInstanceOf(Error);
  });

  it('accepts a type slug or an absolute type URI', () => {
    expect(new ProblemError({ status: 404, detail: 'x', type: 'order-not-found' }).type).toBe(`${PROBLEM_TYPE_BASE}order-not-found`);
    expect(new ProblemError({ status: 400, detail: 'x', type: 'about:blank' }).type).toBe('about:blank');
  });

  it('does not let extensions overwrite the standard members', () => {
    const body = new ProblemError({ status: 400, detail: 'real', extensions: { status: 200, detail: 'fake', traceId: 'x' } }).toJSON();
    expect(body).toMatchObject({ status: 400, detail: 'real' });
    expect(body).not.toHaveProperty('traceId');
  });

  it.each([
    [badRequest('bad', [{ field: 'a', detail: 'is required' }]), 400, 'Bad Request'],
    [notFound('order 42'), 404, 'Not Found'],
    [unprocessable('no'), 422, 'Unprocessable Content'],
    [preconditionFailed('stale'), 412, 'Precondition Failed'],
    [unauthorized(), 401, 'Unauthorized'],
    [forbidden(), 403, 'Forbidden'],
    [payloadTooLarge(1024), 413, 'Content Too Large'],
    [unsupportedMediaType(), 415, 'Unsupported Media Type'],
  ])('constructor #%#', (problem, status, title) => {
    expect(problem).toMatchObject({ status, title });
    expect(problem.type.startsWith(PROBLEM_TYPE_BASE)).toBe(true);
  });

  it('carries details that help the client', () => {
    expect(notFound('order 42').detail).toBe('order 42 was not found');
    expect(payloadTooLarge(1024).detail).toMatch(/1024 bytes/);
    expect(badRequest('bad', [{ field: 'a', detail: 'is required' }]).toJSON().errors).toEqual([{ field: 'a', detail: 'is required' }]);
    expect(unauthorized().headers).toEqual({ 'www-authenticate': 'Bearer' });
    expect(unauthorized('expired', { 'www-authenticate': 'Bearer error="invalid_token"' }).headers).toEqual({
      'www-authenticate': 'Bearer error="invalid_token"',
    });
  });
});

describe('zodProblem', () => {
  it('names the failing field in dotted/bracket notation', () => {
    const problem = problemFor({ currency: 'USD', items: [{ sku: 'A', quantity: 'two', priceCents: 100 }] });
    expect(problem.status).toBe(400);
    expect(problem.toJSON().errors).toEqual([{ field: 'items[0].quantity', detail: 'must be a number' }]);
    expect(problem.detail).toBe('items[0].quantity: must be a number');
  });

  it('names unknown fields, one error per field', () => {
    const problem = problemFor({ currency: 'USD', items: [{ sku: 'A', quantity: 1, priceCents: 1, colour: 'red', size: 'L' }] });
    expect(problem.toJSON().errors).toEqual([
      { field: 'items[0].colour', detail: 'unknown field "colour"' },
      { field: 'items[0].size', detail: 'unknown field "size"' },
    ]);
    expect(problem.detail).toBe('items[0].colour: unknown field "colour" (and 1 more error)');
  });

  it('says "is required" for missing fields and counts the rest', () => {
    const problem = problemFor({});
    expect(problem.detail).toBe('currency: is required (and 1 more error)');
  });

  it('explains float money', () => {
    const problem = problemFor({ currency: 'USD', items: [{ sku: 'A', quantity: 1, priceCents: 10.5 }] });
    expect(problem.detail).toMatch(/^items\[0\]\.priceCents: .*integer cents are required/);
  });

  it('describes a wrong root type', () => {
    expect(problemFor('nope').detail).toBe('request: Invalid input: expected object, received string');
  });

  it('never echoes submitted values', () => {
    const secret = 'alice@example.com';
    const body = JSON.stringify(problemFor({ currency: 5, items: [{ sku: secret, quantity: secret, priceCents: secret }] }));
    expect(body).not.toContain(secret);
  });

  it('caps the error list for bodies with many unknown fields', () => {
    const input = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, i]));
    const problem = problemFor({ currency: 'USD', items: [], ...input });
    expect((problem.toJSON().errors as unknown[]).length).toBe(20);
    expect(problem.detail).toMatch(/and 499 more errors/);
  });

  it('formats odd keys safely', () => {
    expect(formatFieldPath(['meta', 'a.b', 0, 'x y', 'ok'])).toBe('meta["a.b"][0]["x y"].ok');
    expect(formatFieldPath([])).toBe('');
    expect(formatFieldPath(['k'.repeat(500)]).length).toBeLessThan(80);
  });
});

describe('toClientProblem', () => {
  it('passes ProblemErrors through and maps zod and JSON errors', () => {
    const problem = conflict('x');
    expect(toClientProblem(problem, 10)).toBe(problem);
    expect(toClientProblem(z.string().safeParse(1).error, 10)?.status).toBe(400);
    expect(toClientProblem(new JsonInputError('/a', 'duplicate key "a"'), 10)?.toJSON()).toMatchObject({
      status: 400, pointer: '/a', detail: 'Invalid JSON body at /a: duplicate key "a"',
    });
  });

  it('keeps 4xx statuses but only trusts framework or exposed messages', () => {
    const fastify = Object.assign(new Error('body/x must be integer'), { statusCode: 400, code: 'FST_ERR_VALIDATION' });
    const exposed = Object.assign(new Error('Too many requests, retry later'), { statusCode: 429, expose: true });
    const other = Object.assign(new Error('SELECT * FROM customers WHERE email = ...'), { statusCode: 409 });
    expect(toClientProblem(fastify, 10)?.detail).toBe('body/x must be integer');
    expect(toClientProblem(exposed, 10)).toMatchObject({ status: 429, detail: 'Too many requests, retry later' });
    expect(toClientProblem(other, 10)).toMatchObject({ status: 409, detail: 'Conflict' });
  });

  it('returns undefined (a 500) for everything else', () => {
    expect(toClientProblem(new Error('boom'), 10)).toBeUndefined();
    expect(toClientProblem(Object.assign(new Error('db down'), { statusCode: 503 }), 10)).toBeUndefined();
    expect(toClientProblem('a string', 10)).toBeUndefined();
    expect(toClientProblem(null, 10)).toBeUndefined();
  });
});
