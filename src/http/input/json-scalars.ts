// Scalar scanning (strings and numbers) for the strict JSON parser. Kept
// apart so the parser reads as grammar; this file owns the character rules.
// Scanners return failures instead of throwing: the parser owns the path
// needed to build a JsonInputError.
import { NonIntegerLiteral } from './json-number.js';

export type ScanFailure = { error: string; at: number; syntax: boolean };
export type ScanResult<T> = { value: T; end: number } | ScanFailure;

// In /u mode a well-formed surrogate pair is one code point, so \p{Cs}
// matches only *lone* surrogates.
const LONE_SURROGATE = /\p{Cs}/u;
const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t',
};
const HEX4 = /^[0-9a-fA-F]{4}$/;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const NUMBER_TAIL = /[0-9.eE+-]/;

/** Scans the string literal whose opening quote is at `start`. */
export function scanString(text: string, start: number): ScanResult<string> {
  let value = '';
  let runStart = start + 1;
  let pos = runStart;
  for (;;) {
    const code = text.charCodeAt(pos);
    if (Number.isNaN(code)) return { error: 'unterminated string', at: pos, syntax: true };
    if (code === 0x22 || code === 0x5c) {
      // Raw runs are checked on their own: an escaped high surrogate must not
      // pair up with a raw lone low surrogate that was invalid in the input.
      const run = text.slice(runStart, pos);
      if (LONE_SURROGATE.test(run)) return loneSurrogate(run, runStart);
      value += run;
      if (code === 0x22) break;
      const escape = decodeEscape(text, pos);
      if (typeof escape !== 'string') return escape;
      value += escape;
      pos += text[pos + 1] === 'u' ? 6 : 2;
      runStart = pos;
      continue;
    }
    if (code === 0) return { error: 'NUL character in string', at: pos, syntax: false };
    if (code < 0x20) return { error: 'unescaped control character in string', at: pos, syntax: true };
    pos++;
  }
  if (LONE_SURROGATE.test(value)) return { error: 'lone UTF-16 surrogate in string', at: start, syntax: false };
  return { value, end: pos + 1 };
}

function decodeEscape(text: string, pos: number): string | ScanFailure {
  const kind = text.charAt(pos + 1);
  const simple = SIMPLE_ESCAPES[kind];
  if (simple !== undefined) return simple;
  if (kind !== 'u') return { error: 'invalid escape sequence', at: pos, syntax: true };
  const hex = text.slice(pos + 2, pos + 6);
  if (!HEX4.test(hex)) return { error: 'invalid \\u escape: expected 4 hex digits', at: pos, syntax: true };
  const code = parseInt(hex, 16);
  if (code === 0) return { error: 'NUL character in string', at: pos, syntax: false };
  return String.fromCharCode(code);
}

function loneSurrogate(run: string, runStart: number): ScanFailure {
  const offset = run.search(LONE_SURROGATE);
  return { error: 'lone UTF-16 surrogate in string', at: runStart + offset, syntax: false };
}

/**
 * Scans the number at `start`. Integer literals (no fraction, no exponent)
 * must be exact, so anything beyond 2^53 - 1 is refused rather than rounded.
 * Other literals come back as NonIntegerLiteral, even when their value is
 * whole (`1.0`, `1e3`), so that validators judge what was written.
 */
export function scanNumber(text: string, start: number): ScanResult<number | NonIntegerLiteral> {
  NUMBER.lastIndex = start;
  const match = NUMBER.exec(text);
  const end = start + (match?.[0].length ?? 0);
  // "01", "1.", "1e", "-" all leave a number-ish character behind the match.
  if (!match || NUMBER_TAIL.test(text.charAt(end))) {
    const leadingZero = /^-?0$/.test(match?.[0] ?? '') && /[0-9]/.test(text.charAt(end));
    return { error: leadingZero ? 'leading zeros are not allowed' : 'invalid number', at: end, syntax: true };
  }
  const value = Number(match[0]);
  const isInteger = match[1] === undefined && match[2] === undefined;
  if (isInteger && !Number.isSafeInteger(value)) {
    return { error: 'integer exceeds 2^53 - 1 in magnitude and cannot be represented exactly', at: start, syntax: false };
  }
  if (!Number.isFinite(value)) return { error: 'number is out of range', at: start, syntax: false };
  const exact = value === 0 ? 0 : value; // normalise -0, which no API field means
  return { value: isInteger ? exact : new NonIntegerLiteral(exact), end };
}
