// zod building blocks for route schemas. Every helper canonicalises what it
// accepts (so equal inputs store equal) and its messages never echo the
// submitted value: error bodies and logs must not carry personal data.
import { z } from 'zod';
import { NonIntegerLiteral } from './json-number.js';
import { codePointLength, hasControlCharacters, hasLineOrDirectionBreak, hasVisibleCharacter, normalizeText } from './text.js';

import { SUPPORTED_CURRENCIES, type Currency } from '../../domain/index.js';

export { SUPPORTED_CURRENCIES };
export type CurrencyCode = Currency;

/** Use for every object in a route schema: unknown fields are rejected, not dropped. */
export const strictObject = z.strictObject;

export interface TextOptions {
  /** Minimum length in code points after normalisation (default 1: blank is rejected). */
  minLength?: number;
  /** Allow \n and \t (default true). Set false for one-line values such as names. */
  multiline?: boolean;
}

/**
 * Free text: NFC-normalised and trimmed; length counted in code points. Text
 * without a visible character counts as blank; one-line text also refuses
 * line separators and bidi embedding/override/isolate controls.
 */
export function text(maxLength: number, { minLength = 1, multiline = true }: TextOptions = {}) {
  const base = z
    .string({ error: requiredOr('must be a string') })
    .overwrite(normalizeText)
    .refine((v) => !hasControlCharacters(v, multiline), {
      error: multiline ? 'must not contain control characters other than newline and tab' : 'must not contain control characters',
    });
  const oneLine = multiline
    ? base
    : base.refine((v) => !hasLineOrDirectionBreak(v), { error: 'must be one line, without line separators or bidirectional controls' });
  return oneLine
    .refine((v) => minLength === 0 || hasVisibleCharacter(v), { error: 'must not be blank: it needs a visible character' })
    .refine((v) => minLength <= 1 || codePointLength(v) >= minLength, { error: `must be at least ${minLength} characters` })
    .refine((v) => codePointLength(v) <= maxLength, { error: `must be at most ${maxLength} characters` });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Canonical 8-4-4-4-12 hex UUID of any version; returned lower-case. No braces, no "urn:uuid:". */
export function uuid() {
  return z
    .string({ error: requiredOr('must be a string') })
    .regex(UUID, { error: 'must be a UUID (8-4-4-4-12 hexadecimal digits)' })
    .overwrite((v) => v.toLowerCase());
}

const WHOLE = 'must be an integer, written without a fraction or exponent (3, not 3.0 or 3e0)';
const WHOLE_CENTS = 'must be an integer, written without a fraction or exponent: integer cents are required (e.g. 1050 for 10.50)';

/** Integer in 1..max, such as a quantity. 2.5, 1.0 and 1e0 are refused, never rounded. */
export function positiveInt(max: number) {
  if (!Number.isSafeInteger(max) || max < 1) throw new RangeError('positiveInt max must be a safe integer >= 1');
  return integerLiteral('must be a number', WHOLE)
    .min(1, { error: 'must be at least 1' })
    .max(max, { error: `must be at most ${max}` });
}

/** Integer in 0..max, such as a stock level; the same literal rules as positiveInt. */
export function count(max: number) {
  if (!Number.isSafeInteger(max) || max < 0) throw new RangeError('count max must be a safe integer >= 0');
  return integerLiteral('must be a number', WHOLE)
    .min(0, { error: 'must not be negative' })
    .max(max, { error: `must be at most ${max}` });
}

/** Money as integer minor units; fractions and exponents are refused so no rounding ever happens here. */
export function moneyCents() {
  return integerLiteral('must be a number of cents', WHOLE_CENTS)
    .min(0, { error: 'must not be negative' })
    .max(Number.MAX_SAFE_INTEGER, { error: 'is too large' });
}

// The strict parser turns every literal with a fraction or exponent into a
// NonIntegerLiteral, which z.number() refuses as a wrong type: that is where
// 1449.99999999999999 (a double equal to 1450) is told apart from 1450.
function integerLiteral(typeMessage: string, wholeMessage: string) {
  const error = (issue: { input?: unknown }): string => {
    if (issue.input === undefined) return 'is required';
    return issue.input instanceof NonIntegerLiteral ? wholeMessage : typeMessage;
  };
  return z.number({ error }).int({ error: wholeMessage });
}

/** ISO 4217 code from SUPPORTED_CURRENCIES; ASCII case-insensitive, returned upper-case. */
export function currencyCode() {
  return z
    .string({ error: requiredOr('must be a currency code string') })
    .overwrite(asciiUpper)
    .pipe(z.enum(SUPPORTED_CURRENCIES, { error: 'unsupported currency' }));
}

/** Trimmed; the domain is lower-cased (case-insensitive by RFC 5321), the local part kept as sent. */
export function email() {
  return z
    .string({ error: requiredOr('must be a string') })
    .overwrite(normalizeText)
    .max(254, { error: 'must be at most 254 characters' })
    .regex(z.regexes.email, { error: 'must be an email address' })
    .overwrite(lowerCaseDomain);
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** E.164-style: "+", then 7-15 digits; spaces and dashes are stripped before checking. */
export function phone() {
  return z
    .string({ error: requiredOr('must be a string') })
    .overwrite((v) => normalizeText(v).replace(/[ -]/g, ''))
    .regex(E164, { error: 'must be an international phone number such as +14155550123' });
}

const SKU = /^[A-Z0-9][A-Z0-9-]{0,63}$/;

/** Trimmed and ASCII upper-cased before checking, so "ab-1" and "AB-1" are one SKU. */
export function sku() {
  return z
    .string({ error: requiredOr('must be a string') })
    .overwrite((v) => asciiUpper(normalizeText(v)))
    .regex(SKU, { error: 'must be 1-64 characters of A-Z, 0-9 and "-", not starting with "-"' });
}

// String.prototype.toUpperCase maps e.g. "ß" to "SS" and "ſ" to "S", which
// would let non-ASCII input sneak past ASCII-only patterns.
function asciiUpper(value: string): string {
  return value.replace(/[a-z]+/g, (run) => run.toUpperCase());
}

function lowerCaseDomain(value: string): string {
  const at = value.lastIndexOf('@');
  return at === -1 ? value : value.slice(0, at + 1) + value.slice(at + 1).toLowerCase();
}

// A missing field reads better as "is required" than "expected string, received undefined".
function requiredOr(message: string) {
  return (issue: { input?: unknown }): string => (issue.input === undefined ? 'is required' : message);
}
