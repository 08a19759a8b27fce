// Error type and small character helpers shared by the strict JSON parser.

/** Thrown by parseStrictJson; safe to show to the client (never echoes values). */
export class JsonInputError extends Error {
  override readonly name = 'JsonInputError';
  /** RFC 6901 JSON Pointer of the offending location ("" is the document root). */
  readonly pointer: string;
  /** Human-readable reason, including line and column. */
  readonly detail: string;
  /** Offset (UTF-16 code units) into the parsed text. */
  readonly position: number;

  constructor(path: ReadonlyArray<string | number> | string, detail: string, position = 0) {
    const pointer = typeof path === 'string' ? path : toJsonPointer(path);
    super(`${detail} at "${pointer}"`);
    this.pointer = pointer;
    this.detail = detail;
    this.position = position;
  }
}

export function toJsonPointer(path: ReadonlyArray<string | number>): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** RFC 8259 whitespace only: space, tab, LF, CR (no NBSP, no BOM). */
export function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Names the character at `pos` without echoing arbitrary input back. */
export function describeChar(text: string, pos: number): string {
  const code = text.codePointAt(pos) ?? 0;
  if (code >= 0x21 && code <= 0x7e) return `character "${String.fromCharCode(code)}"`;
  return `character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function lineAndColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: pos - lineStart + 1 };
}

/** Quotes a client-controlled key for a message, capped so errors stay small. */
export function quoteKey(key: string): string {
  return JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);
}
