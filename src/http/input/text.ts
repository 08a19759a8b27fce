// Text canonicalisation shared by every free-text field. NFC first so that
// "é" typed as e + combining accent and as one code point compare, store,
// index and count the same; then trim, because leading/trailing whitespace
// is never meaningful in an order API and breaks uniqueness checks.

export function normalizeText(value: string): string {
  return value.normalize('NFC').trim();
}

/** Length in Unicode code points, so an emoji counts as one character, not two. */
export function codePointLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

// Cc = C0/C1 controls (incl. NUL, ESC, DEL); Cs = lone surrogates (a well-formed
// pair is a single code point in /u mode and does not match).
// Spelled as ranges: Cc is exactly U+0000-001F and U+007F-009F.
const FORBIDDEN_MULTILINE = /[\p{Cs}\u0000-\u0008\u000B-\u001F\u007F-\u009F]/u;
const FORBIDDEN_SINGLE_LINE = /[\p{Cs}\p{Cc}]/u;

/** True when the text contains control characters other than \n and \t (or any, if single-line). */
export function hasControlCharacters(value: string, multiline = true): boolean {
  return (multiline ? FORBIDDEN_MULTILINE : FORBIDDEN_SINGLE_LINE).test(value);
}
