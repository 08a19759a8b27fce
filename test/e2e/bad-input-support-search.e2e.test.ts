import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type HttpResult } from '../support/http.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.stop();
});

const search = (query: string) => call(app.url, 'GET', `/support/search?${query}`, { role: 'support' });
const notOurs = Buffer.from('{"from":0}').toString('base64url');
const ours = Buffer.from(JSON.stringify([1_764_000_000_000, '0b8f3c1e-1111-4222-8333-444455556666'])).toString('base64url');

/** A 400 problem whose first field error names the parameter, without echoing what was sent. */
function expectParameterProblem(response: HttpResult, parameter: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body.errors?.[0]?.field).toBe(parameter);
  expect(response.body.detail).toMatch(new RegExp(`^${parameter}: `));
}

describe('bad input on GET /support/search', () => {
  // Each refusal next to the same search with a good value, which must answer 200: the
  // parameter exists and only its value is refused.
  const cases: Array<[string, string, string, string]> = [
    ['reveal=true without a reason', 'status=placed&reveal=true', 'status=placed&reveal=true&reason=ticket', 'reason'],
    ['a reason without reveal=true', 'status=placed&reason=ticket%2042', 'status=placed&reveal=true&reason=ticket%2042', 'reason'],
    ['a blank reason', 'status=placed&reveal=true&reason=%20%E2%80%8B', 'status=placed&reveal=true&reason=x', 'reason'],
    ['a reason over 500 characters', `status=placed&reveal=true&reason=${'r'.repeat(501)}`, `status=placed&reveal=true&reason=${'r'.repeat(500)}`, 'reason'],
    ['reveal other than true or false', 'status=placed&reveal=yes&reason=x', 'status=placed&reveal=false', 'reveal'],
    ['limit 101', 'status=placed&limit=101', 'status=placed&limit=100', 'limit'],
    ['limit 0', 'status=placed&limit=0', 'status=placed&limit=1', 'limit'],
    ['a cursor that does not decode', 'status=placed&cursor=not-a-cursor%21', `status=placed&cursor=${ours}`, 'cursor'],
    ['a cursor of base64 that is not ours', `status=placed&cursor=${notOurs}`, `status=placed&cursor=${ours}`, 'cursor'],
    ['a phone of 3 digits', 'phone=123', 'phone=0123', 'phone'],
    ['a phone with letters', 'phone=01a3', 'phone=0103', 'phone'],
    ['a phone with + but not E.164', 'phone=%2B0123', 'phone=%2B14155550123', 'phone'],
    ['a status the domain does not have', 'status=paid', 'status=lost', 'status'],
    ['a payment state the domain does not have', 'paymentState=captured', 'paymentState=voided', 'paymentState'],
    ['a refund state the domain does not have', 'refundState=some', 'refundState=partial', 'refundState'],
    ['a shipment status the domain does not have', 'shipmentStatus=returned', 'shipmentStatus=in_transit', 'shipmentStatus'],
    ['openDispute other than true or false', 'openDispute=1', 'openDispute=true', 'openDispute'],
    ['placedFrom that is not ISO 8601', 'placedFrom=yesterday', 'placedFrom=2026-11-28T10:00:00.1234567891%2B01:00', 'placedFrom'],
    ['placedTo without a time', 'placedTo=2026-11-28', 'placedTo=2026-11-28T00:00:00Z', 'placedTo'],
    ['placedTo before placedFrom', 'placedFrom=2026-11-28T10:00:00Z&placedTo=2026-11-27T10:00:00Z', 'placedFrom=2026-11-27T10:00:00Z&placedTo=2026-11-28T10:00:00Z', 'placedTo'],
    ['an unknown parameter', 'status=placed&sort=asc', 'status=placed', 'sort'],
    ['a repeated parameter', 'status=placed&status=shipped', 'status=shipped', 'status'],
    ['q of only white space', 'q=%20%20', 'q=ada', 'q'],
  ];

  it.each(cases)('refuses %s, naming the parameter', async (_name, bad, good, parameter) => {
    expectParameterProblem(await search(bad), parameter);
    expect((await search(good)).status).toBe(200);
  });

  it('refuses a search without any filter, listing them', async () => {
    const response = await search('limit=5');
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/email, phone, customerId, status, q, paymentState, refundState, carrier, shipmentStatus, region, paymentProvider, riskFlag, openDispute, placedFrom, placedTo/);
  });

  it('never echoes a searched email or phone in a refusal', async () => {
    const response = await search('email=secret.person%40example.com&phone=%2B49151&limit=101');
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).not.toMatch(/secret\.person|49151/);
  });
});
