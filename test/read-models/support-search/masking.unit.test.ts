import { describe, expect, it } from 'vitest';
import { countryCodeOf, maskEmail, maskPhone } from '../../../src/read-models/support-search/masking.js';

describe('maskEmail', () => {
  it('keeps the first character of the local part and the domain', () => {
    expect(maskEmail('ada@example.com')).toBe('a***@example.com');
    expect(maskEmail('grace.hopper+orders@navy.mil')).toBe('g***@navy.mil');
  });

  it('hides as much for a one-character local part', () => {
    expect(maskEmail('x@example.com')).toBe('x***@example.com');
  });

  it('keeps a character outside the basic plane whole', () => {
    expect(maskEmail('😀me@example.com')).toBe('😀***@example.com');
  });
});

describe('maskPhone', () => {
  it('keeps the country code and the last four digits', () => {
    expect(maskPhone('+14155550123')).toBe('+1******0123');
    expect(maskPhone('+4915112345678')).toBe('+49*******5678');
    expect(maskPhone('+353861234567')).toBe('+353*****4567');
  });

  it('hides a national number of four digits or fewer whole', () => {
    expect(maskPhone('+3531234')).toBe('+353****');
  });

  it('tells country codes of one, two and three digits apart', () => {
    expect(countryCodeOf('14155550123')).toBe('1');
    expect(countryCodeOf('74951234567')).toBe('7');
    expect(countryCodeOf('447911123456')).toBe('44');
    expect(countryCodeOf('971501234567')).toBe('971');
  });
});
