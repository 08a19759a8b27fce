import type { FastifyInstance } from 'fastify';
import { CommandRejected } from '../../commands/errors.js';
import { upsertProduct, type ProductInput, type ProductPreconditions } from '../../commands/products.js';
import type { AppContext } from '../context.js';
import { etag } from '../order-response.js';
import { ifMatchVersions, ifNoneMatchVersions } from '../preconditions.js';
import { rejectionProblem } from '../rejections.js';
import { defineRoute } from '../routing/define-route.js';
import { productBody, skuParams } from '../schemas.js';

async function putProduct(ctx: AppContext, input: ProductInput, conditions: ProductPreconditions) {
  try {
    return await upsertProduct(ctx.db, input, conditions);
  } catch (error) {
    throw error instanceof CommandRejected ? rejectionProblem(error) : error;
  }
}

/** Operators set a product's name, price and stock (the catalog the write side prices from). */
export function registerProducts(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, {
    method: 'PUT', url: '/products/:sku', roles: ['operator'], params: skuParams, body: productBody,
    summary: 'Create or replace a product (idempotent by itself: no Idempotency-Key)',
    headers: { 'if-match': 'optional', 'if-none-match': 'optional' },
    responses: {
      200: { description: 'The product was replaced', headers: ['etag'] },
      201: { description: 'The product was created', headers: ['etag', 'location'] },
    },
  }, async ({ params, body }, request, reply) => {
    const conditions = { ifMatch: ifMatchVersions(request), ifNoneMatch: ifNoneMatchVersions(request) };
    const { product, created } = await putProduct(ctx, { sku: params.sku, ...body }, conditions);
    reply.code(created ? 201 : 200).header('etag', etag(product.version));
    if (created) reply.header('location', `/products/${product.sku}`);
    return {
      sku: product.sku,
      name: product.name,
      priceCents: product.price_cents,
      currency: product.currency,
      stock: product.stock,
      version: product.version,
      updatedAt: product.updated_at.toISOString(),
    };
  });
}
