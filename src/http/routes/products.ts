import type { FastifyInstance } from 'fastify';
import { upsertProduct } from '../../commands/products.js';
import type { AppContext } from '../context.js';
import { defineRoute } from '../routing/define-route.js';
import { productBody, skuParams } from '../schemas.js';

/** Operators set a product's name, price and stock (the catalog the write side prices from). */
export function registerProducts(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, {
    method: 'PUT', url: '/products/:sku', roles: ['operator'], params: skuParams, body: productBody,
    summary: 'Create or replace a product (idempotent by itself: no Idempotency-Key)',
    responses: {
      200: { description: 'The product was replaced' },
      201: { description: 'The product was created', headers: ['location'] },
    },
  }, async ({ params, body }, _request, reply) => {
    const { product, created } = await upsertProduct(ctx.db, { sku: params.sku, ...body });
    reply.code(created ? 201 : 200);
    if (created) reply.header('location', `/products/${product.sku}`);
    return {
      sku: product.sku,
      name: product.name,
      priceCents: product.price_cents,
      currency: product.currency,
      stock: product.stock,
      updatedAt: product.updated_at.toISOString(),
    };
  });
}
