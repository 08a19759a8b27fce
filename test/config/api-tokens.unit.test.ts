import { describe, expect, it } from 'vitest';
import { parseApiTokens } from '../../src/config.js';

const TOKEN = 'a-token-of-sixteen-chars';

/** The message start-up would print; it must never carry a token or a customer id. */
function errorOf(attempt: () => unknown): string {
  try {
    attempt();
  } catch (error) {
    return String(error);
  }
  return 'no error';
}

describe('API_TOKENS', () => {
  it('keeps plain role entries unbound, as before', () => {
    const tokens = parseApiTokens(`${TOKEN}=client, support-token-0000000=support,op=erator-token-00000=operator`);
    expect(tokens.get(TOKEN)).toEqual({ role: 'client' });
    expect(tokens.get('support-token-0000000')).toEqual({ role: 'support' });
    expect(tokens.get('op=erator-token-00000')).toEqual({ role: 'operator' });
  });

  it('binds a client token to the customer named after "client:"', () => {
    const tokens = parseApiTokens(`${TOKEN}=client:c-42`);
    expect(tokens.get(TOKEN)).toEqual({ role: 'client', customerId: 'c-42' });
  });

  it('keeps a customer id that itself contains ":" or "="', () => {
    expect(parseApiTokens(`${TOKEN}=client:eu:c=42`).get(TOKEN)).toEqual({ role: 'client', customerId: 'eu:c=42' });
  });

  it('normalizes the customer id the way an order body does, so the two compare equal', () => {
    // "é" typed as e + combining accent is stored in NFC, as placeOrderBody stores it.
    expect(parseApiTokens(`${TOKEN}=client:Re\u0301ne`).get(TOKEN)).toEqual({ role: 'client', customerId: 'R\u00e9ne' });
  });

  it.each([
    ['an empty customer id', `${TOKEN}=client:`, /customer id .*blank/],
    ['a blank customer id', `${TOKEN}=client:\u00a0`, /customer id .*blank/],
    ['a customer id over 64 characters', `${TOKEN}=client:${'c'.repeat(65)}`, /customer id .*at most 64/],
    ['a customer id with a control character', `${TOKEN}=client:c\u0007x`, /customer id .*control characters/],
  ])('fails loudly on %s, without echoing the token', (_, raw, expected) => {
    const message = errorOf(() => parseApiTokens(raw));
    expect(message).toMatch(expected);
    expect(message).not.toContain(TOKEN);
  });

  it.each(['support', 'operator'])('refuses to bind a %s token to a customer, echoing neither', (role) => {
    const message = errorOf(() => parseApiTokens(`${TOKEN}=${role}:secret-customer`));
    expect(message).toMatch(/only client tokens can be bound/);
    expect(message).not.toContain(TOKEN);
    expect(message).not.toContain('secret-customer');
  });

  it('still refuses unknown roles and short tokens', () => {
    expect(() => parseApiTokens(`${TOKEN}=admin`)).toThrow(/token=role or token=client:<customerId>/);
    expect(() => parseApiTokens('short=client:c-42')).toThrow(/at least 16 characters/);
  });
});
