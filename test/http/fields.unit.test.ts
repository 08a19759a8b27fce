import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  SUPPORTED_CURRENCIES, currencyCode, email, moneyCents, phone, positiveInt, sku, strictObject, text, uuid,
} from '../../src/http/input/fields.js';
import { codePointLength, normalizeText } from '../../src/http/input/text.js';

function messages(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return result.error.issues.map((issue) => issue.message);
}

describe('normalizeText', () => {
  it('applies NFC and trims', () => {
    expect(normalizeText('  Cafe\u0301\n')).toBe('Café');
    expect(normalizeText('Café')).toBe(normalizeText('Cafe\u0301'));
  });

  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('😀😀')).toBe(2);
  });
});

describe('text()', () => {
  const note = text(5);

  it('normalises before measuring, and counts code points', () => {
    expect(note.parse('  e\u0301e\u0301e\u0301e\u0301e\u0301  ')).toBe('ééééé');
    expect(note.parse('😀😀😀😀😀')).toBe('😀😀😀😀😀');
    expect(messages(note, '😀😀😀😀😀😀')).toEqual(['must be at most 5 characters']);
  });

  it('rejects blank text by default and honours minLength', () => {
    expect(messages(note, '   ')).toEqual(['must not be blank']);
    expect(messages(text(10, { minLength: 3 }), ' ab ')).toEqual(['must be at least 3 characters']);
    expect(text(10, { minLength: 0 }).parse('  ')).toBe('');
  });

  it('allows newline and tab in free text but no other control characters', () => {
    expect(text(20).parse('a\n\tb')).toBe('a\n\tb');
    for (const bad of ['a\rb', 'a\u0000b', 'a\u001bb', 'a\u007fb', 'a\u0085b', 'a\ud800b']) {
      expect(messages(text(20), bad)).toEqual(['must not contain control characters other than newline and tab']);
    }
  });

  it('rejects newline and tab too when multiline is false', () => {
    expect(messages(text(20, { multiline: false }), 'a\nb')).toEqual(['must not contain control characters']);
  });

  it('says "is required" for a missing value and names the wrong type otherwise', () => {
    expect(messages(note, undefined)).toEqual(['is required']);
    expect(messages(note, 42)).toEqual(['must be a string']);
  });
});

describe('uuid()', () => {
  it('accepts any version and lower-cases it', () => {
    expect(uuid().parse('6F1C2E4A-0B7D-4C3E-9A1B-2C3D4E5F6A7B')).toBe('6f1c2e4a-0b7d-4c3e-9a1b-2c3d4e5f6a7b');
    expect(uuid().parse('00000000-0000-0000-0000-000000000000')).toBe('00000000-0000-0000-0000-000000000000');
    expect(uuid().parse('01890a5d-ac96-774b-bcce-b302099a8057')).toBe('01890a5d-ac96-774b-bcce-b302099a8057');
  });

  it.each(['{6f1c2e4a-0b7d-4c3e-9a1b-2c3d4e5f6a7b}', 'urn:uuid:6f1c2e4a-0b7d-4c3e-9a1b-2c3d4e5f6a7b',
    '6f1c2e4a0b7d4c3e9a1b2c3d4e5f6a7b', ' 6f1c2e4a-0b7d-4c3e-9a1b-2c3d4e5f6a7b', '6f1c2e4a-0b7d-4c3e-9a1b-2c3d4e5f6a7g'])(
    'rejects non-canonical %s',
    (value) => {
      expect(messages(uuid(), value)).toEqual(['must be a UUID (8-4-4-4-12 hexadecimal digits)']);
    },
  );
});

describe('positiveInt() and moneyCents()', () => {
  it('positiveInt accepts 1..max integers only', () => {
    expect(positiveInt(10).parse(10)).toBe(10);
    expect(messages(positiveInt(10), 2.5)).toEqual(['must be an integer']);
    expect(messages(positiveInt(10), 0)).toEqual(['must be at least 1']);
    expect(messages(positiveInt(10), 11)).toEqual(['must be at most 10']);
    expect(messages(positiveInt(10), '3')).toEqual(['must be a number']);
    expect(() => positiveInt(0)).toThrow(RangeError);
  });

  it('moneyCents refuses floats, saying integer cents are required', () => {
    expect(moneyCents().parse(1050)).toBe(1050);
    expect(moneyCents().parse(0)).toBe(0);
    expect(messages(moneyCents(), 10.5)[0]).toMatch(/integer cents are required/);
    expect(messages(moneyCents(), -1)).toEqual(['must not be negative']);
    expect(moneyCents().parse(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(moneyCents().safeParse(Number.MAX_SAFE_INTEGER + 1).success).toBe(false);
    expect(moneyCents().safeParse(Infinity).success).toBe(false);
    expect(messages(moneyCents(), '10')).toEqual(['must be a number of cents']);
  });
});

describe('currencyCode()', () => {
  it('accepts the supported set, ASCII case-insensitively, returning upper case', () => {
    expect(SUPPORTED_CURRENCIES).toEqual(['USD', 'EUR', 'GBP', 'JPY', 'CAD', 'AUD', 'CHF', 'SEK', 'INR', 'BRL']);
    for (const code of SUPPORTED_CURRENCIES) expect(currencyCode().parse(code)).toBe(code);
    expect(currencyCode().parse('eur')).toBe('EUR');
  });

  it.each(['XYZ', 'US', ' USD', 'u\u017fd' /* long s upper-cases to S */])('rejects %j as "unsupported currency"', (value) => {
    expect(messages(currencyCode(), value)).toEqual(['unsupported currency']);
  });
});

describe('email(), phone(), sku()', () => {
  it('email trims and lower-cases only the domain', () => {
    expect(email().parse('  Alice.Smith@Example.COM ')).toBe('Alice.Smith@example.com');
  });

  it.each(['alice', 'alice@', '@example.com', 'a b@example.com', `${'a'.repeat(250)}@example.com`])(
    'email rejects %j without echoing it',
    (value) => {
      const found = messages(email(), value);
      expect(found.length).toBeGreaterThan(0);
      for (const message of found) expect(message).not.toContain(value.trim().slice(0, 5) || '@');
    },
  );

  it('phone strips spaces and dashes and requires + and 7-15 digits', () => {
    expect(phone().parse(' +1 415-555-0123 ')).toBe('+14155550123');
    expect(phone().parse('+1234567')).toBe('+1234567');
    for (const bad of ['4155550123', '+123456', '+1234567890123456', '+0123456789', '+1 (415) 555-0123', '+1.415.555']) {
      expect(messages(phone(), bad)).toEqual(['must be an international phone number such as +14155550123']);
    }
  });

  it('sku trims and ASCII-upper-cases, then checks the pattern', () => {
    expect(sku().parse(' ab-12 ')).toBe('AB-12');
    expect(sku().parse('X'.repeat(64))).toBe('X'.repeat(64));
    for (const bad of ['-AB', 'A_B', 'A B', 'X'.repeat(65), '', '\u00df' /* ß upper-cases to SS */]) {
      expect(sku().safeParse(bad).success).toBe(false);
    }
  });
});

describe('strictObject', () => {
  it('rejects unknown fields instead of dropping them', () => {
    const result = strictObject({ sku: sku() }).safeParse({ sku: 'A', extra: 1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['extra'] });
  });
});
