/**
 * Search text is folded by the application, the same way when a document is indexed and when
 * a query is asked: the OpenSearch distribution the project runs ships without the
 * analysis-common module, so its `asciifolding` filter is not available. Folding here keeps
 * "Zoë", "ZOE" and "zoe" one term on any OpenSearch.
 */

// Latin letters that do not decompose into a base letter and a combining mark.
const LETTERS_WITHOUT_DECOMPOSITION: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ı: 'i', ħ: 'h', ŧ: 't',
};

/**
 * Lower case, accents removed, every run of anything but letters and digits one space. The
 * punctuation goes too, so "ada.lovelace@example.com" is the words ada, lovelace, example and
 * com, and query syntax such as `*:*` or `status:placed OR 1` is nothing but words.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđðłþıħŧ]/g, (letter) => LETTERS_WITHOUT_DECOMPOSITION[letter]!)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The phone's digits, last first: a suffix of the number is a prefix of this. */
export function reversedDigits(phone: string): string {
  return [...phone.replace(/\D/g, '')].reverse().join('');
}
