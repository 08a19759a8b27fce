import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  SUPPORTED_CURRENCIES, count, currencyCode, email, moneyCents, phone, positiveInt, sku, strictObject, text, uuid,
} from '../../src/http/input/fields.js';
import { NonIntegerLiteral } from '../../src/http/input/json-number.js';
import { parseStrictJson } from '../../src/http/input/strict-json.js';
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
    expect(messages(note, '   ')).toEqual(['must not be blank: it needs a visible character']);
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

  it.each([
    ['zero-width space', '\u200b'],
    ['zero-width joiners and BOM', '\u200d\u2060\ufeff'],
    ['soft hyphen', '\u00ad'],
    ['Hangul fillers', '\u3164\u115f\u1160\uffa0'],
    ['braille blank', '\u2800'],
    ['variation selector and tag characters', '\ufe0f\u{e0041}'],
    ['a combining mark on nothing', '\u0301\u034f'],
    ['ideographic and no-break spaces', '\u3000\u00a0'],
    ['bidi marks', '\u200e\u200f'],
  ])('treats text of only %s as blank, in one-line and multi-line fields', (_name, value) => {
    for (const multiline of [true, false]) {
      expect(messages(text(20, { multiline }), value)).toContain('must not be blank: it needs a visible character');
    }
  });

  it.each(['a\u2028b', 'a\u2029b', 'a\u202ab', 'a\u202bb', 'a\u202cb', 'a\u202db', 'a\u202eb', 'a\u2066b', 'a\u2067b', 'a\u2068b', 'a\u2069b'])(
    'refuses line separators and bidi controls in one-line text, not joiners or bidi marks: %j',
    (value) => {
      expect(messages(text(20, { multiline: false }), value)).toEqual(['must be one line, without line separators or bidirectional controls']);
      expect(text(20).parse(value)).toBe(value);
      expect(text(20, { multiline: false }).parse('👩\u200d💻 Ada')).toBe('👩\u200d💻 Ada');
      expect(text(20, { multiline: false }).parse('\u05e9\u200f 42')).toBe('\u05e9\u200f 42');
    },
  );

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

const WHOLE = 'must be an integer, written without a fraction or exponent (3, not 3.0 or 3e0)';

describe('positiveInt(), count() and moneyCents()', () => {
  it.each(['1.0', '0.99999999999999999', '1e0', '1.5e3', '4503599627370496.5'])(
    'refuse the literal %s even when it parses to a whole number',
    (literal) => {
      const parsed = parseStrictJson(literal);
      expect(parsed).toBeInstanceOf(NonIntegerLiteral);
      expect(messages(positiveInt(Number.MAX_SAFE_INTEGER), parsed)).toEqual([WHOLE]);
      expect(messages(count(Number.MAX_SAFE_INTEGER), parsed)).toEqual([WHOLE]);
      expect(messages(moneyCents(), parsed)[0]).toMatch(/without a fraction or exponent: integer cents are required/);
    },
  );

  it('count accepts 0..max integers only', () => {
    expect(count(5).parse(0)).toBe(0);
    expect(count(5).parse(5)).toBe(5);
    expect(messages(count(5), -1)).toEqual(['must not be negative']);
    expect(messages(count(5), 6)).toEqual(['must be at most 5']);
    expect(messages(count(5), 1.5)).toEqual([WHOLE]);
    expect(messages(count(5), undefined)).toEqual(['is required']);
  });

  it('positiveInt accepts 1..max integers only', () => {
    expect(positiveInt(10).parse(10)).toBe(10);
    expect(messages(positiveInt(10), 2.5)).toEqual([WHOLE]);
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
