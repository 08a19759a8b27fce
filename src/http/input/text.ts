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

// What a reader cannot see does not make text non-blank: white space,
// controls, format characters (Cf: zero-width space and joiners, BOM, soft
// hyphen, bidi controls), lone surrogates, non-spacing marks with nothing to
// sit on (Mn), default-ignorables (Hangul fillers, variation selectors, tags)
// and U+2800 BRAILLE PATTERN BLANK, a symbol that draws nothing.
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{Cs}\p{Mn}\p{Default_Ignorable_Code_Point}\u2800]/u;

/** True when at least one character of the text would show on screen. */
export function hasVisibleCharacter(value: string): boolean {
  return VISIBLE.test(value);
}

// U+2028/2029 end a line in many renderers and in JavaScript source. The
// embedding, override and isolate controls reorder text beyond the field
// itself when it is shown next to other text ("Trojan Source"). The bidi
// marks U+200E/200F/061C stay allowed: they only affect their neighbours and
// are needed to write some mixed-direction names correctly.
const LINE_OR_DIRECTION_BREAK = /[\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/** True when one-line text carries a line/paragraph separator or a bidi embedding, override or isolate. */
export function hasLineOrDirectionBreak(value: string): boolean {
  return LINE_OR_DIRECTION_BREAK.test(value);
}
