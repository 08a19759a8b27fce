import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonInputError, NonIntegerLiteral, parseStrictJson } from '../../src/http/input/strict-json.js';

/** The parsed value with every NonIntegerLiteral replaced by the double it stands for. */
function plain(value: unknown): unknown {
  if (value instanceof NonIntegerLiteral) return value.value;
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, plain(member)]));
  }
  return value;
}

function failure(text: string, options?: { maxDepth?: number }): JsonInputError {
  try {
    parseStrictJson(text, options);
  } catch (error) {
    if (error instanceof JsonInputError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseStrictJson: accepts RFC 8259 JSON', () => {
  it.each([
    ['{"a":[1,-2,true,false,null,"x"]}', { a: [1, -2, true, false, null, 'x'] }],
    [' \t\r\n[ ] ', []],
    ['"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9"', '"\\/\b\f\n\r\té'],
    ['"\\ud83d\\ude00 😀"', '😀 😀'],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ['-9007199254740991', -Number.MAX_SAFE_INTEGER],
    ['-0', 0],
  ])('%s', (text, expected) => {
    expect(parseStrictJson(text)).toStrictEqual(expected);
  });

  it('builds ordinary objects, not null-prototype ones', () => {
    const value = parseStrictJson('{"constructor":1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['constructor']);
  });
});

describe('parseStrictJson: rejects with a pointer and a reason', () => {
  it.each([
    ['', '', /empty body/],
    ['   ', '', /empty body/],
    ['{"a":1,}', '', /trailing comma/],
    ['[1,]', '', /trailing comma/],
    ['{"items":[{"quantity":01}]}', '/items/0/quantity', /leading zeros/],
    ['[1.]', '/0', /invalid number/],
    ['[NaN]', '/0', /expected a JSON value/],
    ['[Infinity]', '/0', /expected a JSON value/],
    ['{"a":1} // c', '', /expected end of input/],
    ['/* c */ {}', '', /expected a JSON value/],
    ["{'a':1}", '', /double-quoted object key/],
    ['{"a" 1}', '/a', /expected ":"/],
    ['{"a":1 "b":2}', '', /expected "," or "}"/],
    ['[1 2]', '', /expected "," or "]"/],
    ['"abc', '', /unterminated string/],
    ['"a\tb"', '', /unescaped control character/],
    ['"\\x"', '', /invalid escape/],
    ['"\\u12g4"', '', /4 hex digits/],
    ['\ufeff{}', '', /U\+FEFF/],
    ['{"a":tru}', '/a', /expected a JSON value/],
  ])('%j', (text, pointer, detail) => {
    const error = failure(text);
    expect(error.pointer).toBe(pointer);
    expect(error.detail).toMatch(detail);
  });

  it('reports line and column of syntax errors', () => {
    expect(failure('{\n  "a": 1,\n  "b": ]\n}').detail).toMatch(/line 3, column 8/);
  });

  it('rejects duplicate keys, naming the key', () => {
    const error = failure('{"items":[{"sku":"A","sku":"B"}]}');
    expect(error.pointer).toBe('/items/0/sku');
    expect(error.detail).toMatch(/^duplicate key "sku"/);
  });

  it.each([
    ['raw NUL', '{"note":"a\u0000b"}', '/note'],
    ['escaped NUL', '{"note":"a\\u0000b"}', '/note'],
    ['NUL in a key', '{"a\\u0000":1}', ''],
  ])('rejects %s', (_name, text, pointer) => {
    const error = failure(text);
    expect(error.pointer).toBe(pointer);
    expect(error.detail).toMatch(/NUL character/);
  });

  it.each([
    ['escaped high surrogate alone', '["\\ud800"]'],
    ['escaped low surrogate alone', '["\\udc00"]'],
    ['escaped high then non-surrogate', '["\\ud83d\\u0041"]'],
    ['raw lone surrogate', '["\ud800"]'],
    ['escaped high + raw lone low', '["\\ud83d\ude00"]'],
    ['lone surrogate in a key', '[{"\\udfff":1}]'],
  ])('rejects a lone surrogate: %s', (_name, text) => {
    expect(failure(text).detail).toMatch(/lone UTF-16 surrogate/);
  });

  it.each(['9007199254740992', '-9007199254740992', '123456789012345678901234567890'])(
    'rejects unsafe integer %s',
    (literal) => {
      const error = failure(`{"qty":${literal}}`);
      expect(error.pointer).toBe('/qty');
      expect(error.detail).toMatch(/exceeds 2\^53/);
    },
  );

  it('marks every literal with a fraction or exponent, even a whole one, and refuses overflow', () => {
    const parsed = parseStrictJson('[1e300, 2.5, 9007199254740993.5, 10.0, 1e0, 1449.99999999999999, -0.0, 7]') as unknown[];
    expect(parsed.slice(0, 7).every((n) => n instanceof NonIntegerLiteral)).toBe(true);
    expect(plain(parsed)).toStrictEqual([1e300, 2.5, 9007199254740994, 10, 1, 1450, 0, 7]);
    expect(parsed[7]).toBe(7);
    expect(JSON.stringify(parsed)).toBe('[1e+300,2.5,9007199254740994,10,1,1450,0,7]');
    expect(failure('[1e400]').detail).toMatch(/out of range/);
  });

  it('limits nesting depth (default 32), counting the top level as 1', () => {
    expect(parseStrictJson('['.repeat(32) + ']'.repeat(32))).toBeDefined();
    expect(failure('['.repeat(33) + ']'.repeat(33)).detail).toMatch(/maximum depth of 32/);
    expect(failure('{"a":{"b":[1]}}', { maxDepth: 2 }).pointer).toBe('/a/b');
    expect(() => parseStrictJson('[]', { maxDepth: 0 })).toThrow(RangeError);
  });

  it('survives hostile depth without a stack overflow', () => {
    expect(failure('['.repeat(100_000)).detail).toMatch(/maximum depth/);
  });

  it('rejects "__proto__" keys so nothing downstream can reach the prototype setter', () => {
    const error = failure('{"order":{"__proto__":{"isAdmin":true}}}');
    expect(error.pointer).toBe('/order/__proto__');
    expect(error.detail).toMatch(/forbidden key "__proto__"/);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('escapes "~" and "/" in pointers (RFC 6901)', () => {
    expect(failure('{"a/b":{"c~d":[01]}}').pointer).toBe('/a~1b/c~0d/0');
  });

  it('does not echo long keys in full', () => {
    const key = 'k'.repeat(500);
    expect(failure(`{"${key}":1,"${key}":2}`).detail.length).toBeLessThan(150);
  });
});

// JSON values JSON.stringify renders without unsafe integer literals or "__proto__".
const exactNumber = fc.oneof(
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d) || Number.isSafeInteger(d)),
);
const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', maxDepth: 5 },
    fc.constantFrom(true, false, null),
    exactNumber,
    fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0')),
    fc.array(tie('json')),
    fc.dictionary(fc.string().filter((k) => k !== '__proto__' && !k.includes('\0')), tie('json')),
  ),
}));

describe('parseStrictJson: properties', () => {
  it('agrees with JSON.parse on everything JSON.stringify produces', () => {
    fc.assert(
      fc.property(json, (value) => {
        const text = JSON.stringify(value, null, 1);
        expect(plain(parseStrictJson(text))).toStrictEqual(JSON.parse(text));
      }),
    );
  });

  it('returns a plain number exactly for integer literals', () => {
    fc.assert(
      fc.property(exactNumber, (n) => {
        const text = JSON.stringify(n);
        expect(parseStrictJson(text) instanceof NonIntegerLiteral).toBe(/[.eE]/.test(text));
      }),
    );
  });

  const tokens = fc.constantFrom('{', '}', '[', ']', ',', ':', ' ', '"a"', '"\\u0000"', '"\\ud800"', '1', '-', '0', '.', 'e', '9007199254740993', 'true', 'nul', '"');
  const hostile = fc.oneof(fc.string({ unit: 'binary' }), fc.array(tokens, { maxLength: 30 }).map((t) => t.join('')));

  it('on any input, either throws JsonInputError or returns what JSON.parse returns', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        let value: unknown;
        try {
          value = parseStrictJson(text);
        } catch (error) {
          expect(error).toBeInstanceOf(JsonInputError);
          return;
        }
        // The one intended difference: -0 is normalised to 0.
        expect(plain(value)).toStrictEqual(JSON.parse(text, (_key, v: unknown) => (v === 0 ? 0 : v)));
      }),
      { numRuns: 5000 },
    );
  });
});
