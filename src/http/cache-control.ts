import type { FastifyInstance } from 'fastify';

/**
 * Orders, searches and command answers carry personal data, and so can their errors: no
 * response may sit in a browser or proxy cache. Only public routes (health, the API
 * description) may be cached; everything else, unknown paths included, is `no-store`.
 */
export function registerNoStore(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.config.api?.roles !== 'public') reply.header('cache-control', 'no-store');
    return payload;
  });
}
