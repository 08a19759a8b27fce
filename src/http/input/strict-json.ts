// A deliberately small RFC 8259 parser. JSON.parse is too lenient for an API
// edge: it silently keeps the last of duplicate keys, accepts NUL and lone
// surrogates, rounds big integers, and cannot say *where* the input went
// wrong. This parser rejects all of those with a JSON Pointer to the spot,
// and returns numbers written with a fraction or exponent as NonIntegerLiteral.
import { JsonInputError, describeChar, isDigit, isWhitespace, lineAndColumn, quoteKey } from './json-errors.js';
import { scanNumber, scanString, type ScanResult } from './json-scalars.js';

export { JsonInputError } from './json-errors.js';
export { NonIntegerLiteral } from './json-number.js';

export interface StrictJsonOptions {
  /** Maximum container nesting; the top-level object/array is depth 1. */
  maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 32;
// Recursion depth is bounded by maxDepth, so keep it well below stack limits.
const MAX_ALLOWED_DEPTH = 1000;
const LITERALS = [['true', true], ['false', false], ['null', null]] as const;

export function parseStrictJson(text: string, options: StrictJsonOptions = {}): unknown {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > MAX_ALLOWED_DEPTH) {
    throw new RangeError(`maxDepth must be an integer between 1 and ${MAX_ALLOWED_DEPTH}`);
  }
  return new Parser(text, maxDepth).parseDocument();
}

class Parser {
  private pos = 0;
  // Keys/indices from the root to the value being parsed, for error pointers.
  private readonly path: Array<string | number> = [];
  private readonly text: string;
  private readonly maxDepth: number;

  constructor(text: string, maxDepth: number) {
    this.text = text;
    this.maxDepth = maxDepth;
  }

  parseDocument(): unknown {
    this.skipWhitespace();
    if (this.pos >= this.text.length) throw new JsonInputError('', 'empty body: a JSON value is required');
    const value = this.parseValue(0);
    this.skipWhitespace();
    if (this.pos < this.text.length) throw this.syntax('expected end of input after the JSON value');
    return value;
  }

  private parseValue(depth: number): unknown {
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x7b) return this.parseObject(depth + 1); // {
    if (c === 0x5b) return this.parseArray(depth + 1); // [
    if (c === 0x22) return this.parseString(); // "
    if (c === 0x2d || isDigit(c)) return this.take(scanNumber(this.text, this.pos)); // - or digit
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    throw this.syntax('expected a JSON value');
  }

  private parseObject(depth: number): Record<string, unknown> {
    this.checkDepth(depth);
    this.pos++; // {
    const result: Record<string, unknown> = {};
    this.skipWhitespace();
    if (this.eat(0x7d)) return result; // }
    do {
      this.skipWhitespace();
      if (this.peek() === 0x7d) throw this.syntax('trailing comma is not allowed');
      this.parseMember(result, depth);
      this.skipWhitespace();
    } while (this.eat(0x2c)); // ,
    if (!this.eat(0x7d)) throw this.syntax('expected "," or "}" in object');
    return result;
  }

  private parseMember(target: Record<string, unknown>, depth: number): void {
    if (this.peek() !== 0x22) throw this.syntax('expected a double-quoted object key');
    const key = this.parseString();
    this.path.push(key);
    // Rejecting __proto__ outright (rather than storing it as an own property)
    // also protects downstream code that copies bodies with Object.assign or
    // naive deep merges, where an own "__proto__" would reach the setter.
    if (key === '__proto__') throw this.fail('forbidden key "__proto__"');
    if (Object.hasOwn(target, key)) throw this.fail(`duplicate key ${quoteKey(key)}`);
    this.skipWhitespace();
    if (!this.eat(0x3a)) throw this.syntax('expected ":" after object key'); // :
    this.skipWhitespace();
    target[key] = this.parseValue(depth);
    this.path.pop();
  }

  private parseArray(depth: number): unknown[] {
    this.checkDepth(depth);
    this.pos++; // [
    const result: unknown[] = [];
    this.skipWhitespace();
    if (this.eat(0x5d)) return result; // ]
    do {
      this.skipWhitespace();
      if (this.peek() === 0x5d) throw this.syntax('trailing comma is not allowed');
      this.path.push(result.length);
      result.push(this.parseValue(depth));
      this.path.pop();
      this.skipWhitespace();
    } while (this.eat(0x2c)); // ,
    if (!this.eat(0x5d)) throw this.syntax('expected "," or "]" in array');
    return result;
  }

  private parseString(): string {
    return this.take(scanString(this.text, this.pos));
  }

  private take<T>(scanned: ScanResult<T>): T {
    if ('error' in scanned) {
      this.pos = scanned.at;
      throw scanned.syntax ? this.syntax(scanned.error) : this.fail(scanned.error);
    }
    this.pos = scanned.end;
    return scanned.value;
  }

  private checkDepth(depth: number): void {
    if (depth > this.maxDepth) throw this.fail(`nesting exceeds the maximum depth of ${this.maxDepth}`);
  }

  private skipWhitespace(): void {
    while (isWhitespace(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private peek(): number {
    return this.text.charCodeAt(this.pos);
  }

  private eat(code: number): boolean {
    if (this.peek() !== code) return false;
    this.pos++;
    return true;
  }

  private syntax(expectation: string): JsonInputError {
    const found = this.pos >= this.text.length ? 'unexpected end of input' : `unexpected ${describeChar(this.text, this.pos)}`;
    return this.fail(`${found}: ${expectation}`);
  }

  private fail(detail: string): JsonInputError {
    const where = lineAndColumn(this.text, this.pos);
    return new JsonInputError(this.path, `${detail} (line ${where.line}, column ${where.column})`, this.pos);
  }
}

