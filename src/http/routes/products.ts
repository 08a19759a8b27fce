import type { FastifyInstance } from 'fastify';
import { upsertProduct } from '../../commands/products.js';
import type { AppContext } from '../context.js';
import { productBody, skuParams } from '../schemas.js';

/** Operators set a product's name, price and stock (the catalog the write side prices from). */
export function registerProducts(app: FastifyInstance, ctx: AppContext): void {
  app.put('/products/:sku', async (request, reply) => {
    ctx.authorize(request, ['operator']);
    const { sku } = skuParams.parse(request.params);
    const body = productBody.parse(request.body);
    const { product, created } = await upsertProduct(ctx.db, { sku, ...body });
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
