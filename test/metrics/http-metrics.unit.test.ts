import { describe, expect, it } from 'vitest';
import { UNMATCHED_ROUTE, routeLabel, statusClass } from '../../src/metrics/http-metrics.js';

describe('the route label of request metrics', () => {
  it('is the route pattern, written as the API description writes it', () => {
    expect(routeLabel('/orders')).toBe('/orders');
    expect(routeLabel('/orders/:id')).toBe('/orders/{id}');
    expect(routeLabel('/orders/:id/disputes/:disputeId/resolution')).toBe('/orders/{id}/disputes/{disputeId}/resolution');
    expect(routeLabel('/products/:sku')).toBe('/products/{sku}');
  });

  it('is one shared label for requests no route matched, never their URL', () => {
    expect(routeLabel(undefined)).toBe(UNMATCHED_ROUTE);
    expect(routeLabel('')).toBe(UNMATCHED_ROUTE);
  });
});

describe('the status class of request metrics', () => {
  it('groups statuses by their first digit', () => {
    expect(statusClass(200)).toBe('2xx');
    expect(statusClass(201)).toBe('2xx');
    expect(statusClass(304)).toBe('3xx');
    expect(statusClass(404)).toBe('4xx');
    expect(statusClass(503)).toBe('5xx');
  });

  it('keeps impossible statuses out of the usual classes', () => {
    expect(statusClass(0)).toBe('other');
    expect(statusClass(600)).toBe('other');
  });
});
