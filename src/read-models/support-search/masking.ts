/**
 * What support and operators see unless they reveal the data with a reason: enough to tell
 * two customers apart on the phone, not enough to contact them.
 */

/** `ada@example.com` → `a***@example.com`: the first character of the local part and the domain. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  const first = Array.from(email.slice(0, at))[0]!;
  return `${first}***${email.slice(at)}`;
}

// E.164 country codes are prefix-free: these are the one- and two-digit ones, every other is three digits.
const ONE_DIGIT_CODES = new Set(['1', '7']);
const TWO_DIGIT_CODES = new Set([
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66',
  '81', '82', '84', '86', '90', '91', '92', '93', '94', '95', '98',
]);

export function countryCodeOf(digits: string): string {
  if (ONE_DIGIT_CODES.has(digits.slice(0, 1))) return digits.slice(0, 1);
  if (TWO_DIGIT_CODES.has(digits.slice(0, 2))) return digits.slice(0, 2);
  return digits.slice(0, 3);
}

const SHOWN_DIGITS = 4;

/**
 * `+14155550123` → `+1******0123`: the country code and the last four digits. A national
 * number of four digits or fewer is hidden whole, or the mask would show all of it.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const code = countryCodeOf(digits);
  const national = digits.slice(code.length);
  const shown = national.length > SHOWN_DIGITS ? national.slice(-SHOWN_DIGITS) : '';
  return `+${code}${'*'.repeat(national.length - shown.length)}${shown}`;
}
