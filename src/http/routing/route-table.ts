import type { FastifyInstance } from 'fastify';
import type { RouteSpec } from './define-route.js';

export interface RegisteredRoute {
  method: string;
  /** Fastify syntax: `/orders/:id`. */
  url: string;
  /** Present when the route was declared with defineRoute. */
  spec: RouteSpec | undefined;
}

/** Every route the app registered, however it was declared: the API description and 405s read it. */
export interface RouteTable {
  routes(): readonly RegisteredRoute[];
  /** Methods some route accepts at this concrete path; empty when no route has the path. */
  allowedMethods(path: string): string[];
}

const tables = new WeakMap<FastifyInstance, RouteTable>();

function pathPattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

/** Call before any route is registered: it records routes as they are added. */
export function createRouteTable(app: FastifyInstance): RouteTable {
  const entries: Array<RegisteredRoute & { pattern: RegExp }> = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      entries.push({ method, url: route.url, spec: route.config?.api, pattern: pathPattern(route.url) });
    }
  });
  const table: RouteTable = {
    routes: () => entries.map(({ method, url, spec }) => ({ method, url, spec })),
    allowedMethods: (path) => [...new Set(entries.filter((e) => e.pattern.test(path)).map((e) => e.method))],
  };
  tables.set(app, table);
  return table;
}

/** The routes of an app built by buildApp. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  const table = tables.get(app);
  if (!table) throw new Error('this app has no route table; build it with buildApp');
  return table.routes();
}
