import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../src/read-models/support-search/cursor.js';
import { foldForSearch, reversedDigits } from '../../../src/read-models/support-search/folding.js';
import { filterClauses } from '../../../src/read-models/support-search/query-body.js';
import { supportSearchParams } from '../../../src/read-models/support-search/search-params.js';

describe('foldForSearch', () => {
  it('drops case and accents, so Zoë, ZOË and zoe are one word', () => {
    expect(foldForSearch('Zoë')).toBe('zoe');
    expect(foldForSearch('ZOË')).toBe('zoe');
    expect(foldForSearch('Ångström Łódź Straße Søren')).toBe('angstrom lodz strasse soren');
  });

  it('turns punctuation, query syntax included, into word breaks', () => {
    expect(foldForSearch('ada.lovelace@example.com')).toBe('ada lovelace example com');
    expect(foldForSearch('status:placed OR 1')).toBe('status placed or 1');
    expect(foldForSearch('*:*')).toBe('');
  });
});

describe('reversedDigits', () => {
  it('makes the end of a number the start of a keyword', () => {
    expect(reversedDigits('+14155550123')).toBe('32105555141');
  });
});

describe('cursor', () => {
  it('round-trips the sort key it encodes', () => {
    const key: [number, string] = [1_764_000_000_000, '0b8f3c1e-1111-4222-8333-444455556666'];
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
  });

  it('refuses what it did not hand out', () => {
    for (const bad of ['', 'not a cursor', 'e30', Buffer.from('[1]').toString('base64url'), Buffer.from('["x","y"]').toString('base64url'), '%%%']) {
      expect(decodeCursor(bad)).toBeUndefined();
    }
  });
});

describe('supportSearchParams', () => {
  const parse = (query: Record<string, string>) => supportSearchParams.safeParse(query);

  it('takes a full E.164 number as an exact match and four or more digits as a suffix', () => {
    expect(parse({ phone: '+1 415 555 0123' }).data?.phone).toEqual({ full: '+14155550123' });
    expect(parse({ phone: '0123' }).data?.phone).toEqual({ suffix: '0123' });
    for (const bad of ['123', '+0123', '01a3', '+1415555012345678']) expect(parse({ phone: bad }).success).toBe(false);
  });

  it('needs a reason to reveal, and a reveal to take a reason', () => {
    expect(parse({ status: 'placed', reveal: 'true' }).error?.issues[0]?.path).toEqual(['reason']);
    expect(parse({ status: 'placed', reason: 'ticket 1' }).error?.issues[0]?.path).toEqual(['reason']);
    expect(parse({ status: 'placed', reveal: 'true', reason: 'ticket 1' }).data).toMatchObject({ reveal: true, reason: 'ticket 1' });
  });

  it('refuses a limit above 100 rather than clamping it', () => {
    expect(parse({ status: 'placed', limit: '101' }).error?.issues[0]?.path).toEqual(['limit']);
    expect(parse({ status: 'placed', limit: '100' }).data?.limit).toBe(100);
  });

  it('takes only the domain\'s own values for states', () => {
    expect(parse({ status: 'paid' }).success).toBe(false);
    expect(parse({ paymentState: 'captured' }).success).toBe(false);
    expect(parse({ refundState: 'partial', shipmentStatus: 'in_transit', openDispute: 'false' }).success).toBe(true);
  });
});

describe('filterClauses', () => {
  it('searches free text as words in the folded field, never as query syntax', () => {
    const params = supportSearchParams.parse({ q: 'status:placed OR 1' });
    expect(filterClauses(params)).toEqual([{ match_bool_prefix: { searchText: { query: 'status placed or 1', operator: 'and' } } }]);
    expect(JSON.stringify(filterClauses(supportSearchParams.parse({ q: '*:*' })))).not.toMatch(/query_string|script|\*/);
  });
});
