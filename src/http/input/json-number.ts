// How the strict parser hands numbers to field validators. A double cannot say
// how it was written: 1449.99999999999999 arrives as 1450 and passes any
// integer check. So the parser keeps that knowledge: an integer literal
// becomes a plain number, and a literal with a fraction or an exponent becomes
// a NonIntegerLiteral, which no money or count field accepts.

/** A JSON number written with a fraction or an exponent (`2.5`, `1.0`, `1e3`). */
export class NonIntegerLiteral {
  /** The nearest double, for a field that allows fractions (none does today). */
  readonly value: number;

  constructor(value: number) {
    this.value = value;
    Object.freeze(this);
  }

  /** JSON.stringify writes it back as the number it stands for. */
  toJSON(): number {
    return this.value;
  }
}
