// Request-body parsing: JSON only, UTF-8 only, parsed strictly.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { JsonInputError } from './json-errors.js';
import { jsonInputProblem, invalidJson } from '../problems/error-mapping.js';
import { unsupportedMediaType } from '../problems/problem-error.js';
import { parseStrictJson } from './strict-json.js';

export interface JsonBodyOptions {
  /** Maximum body size in bytes; larger bodies are refused with 413 before parsing. */
  bodyLimit: number;
  /** Maximum nesting depth passed to parseStrictJson (default 32). */
  maxDepth?: number;
}

// Structured-syntax suffix types such as application/merge-patch+json.
// Anchored with ^ as Fastify requires for RegExp parsers (FSTSEC001).
const JSON_SUFFIX_TYPE = /^application\/[\w!#$&^.-]+\+json\s*(?:;|$)/;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

// fatal: invalid UTF-8 is an error, not silently replaced by U+FFFD (which is
// what Fastify's parseAs 'string' would do). A leading BOM is dropped, as
// RFC 8259 §8.1 permits.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Replaces Fastify's parsers: only application/json and application/*+json
 * bodies are accepted, so any other non-empty body is answered with 415 by
 * Fastify itself (and shaped into a problem by the error handler).
 */
export function registerJsonBodyParser(app: FastifyInstance, options: JsonBodyOptions): void {
  app.removeAllContentTypeParsers();
  const parserOptions = { parseAs: 'buffer' as const, bodyLimit: options.bodyLimit };
  const parser = async (request: FastifyRequest, body: Buffer): Promise<unknown> =>
    parseJsonBody(request, body, options.maxDepth);
  app.addContentTypeParser('application/json', parserOptions, parser);
  app.addContentTypeParser(JSON_SUFFIX_TYPE, parserOptions, parser);
}

function parseJsonBody(request: FastifyRequest, body: Buffer, maxDepth: number | undefined): unknown {
  const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw unsupportedMediaType('JSON request bodies must be encoded as UTF-8');
  }
  const text = decodeUtf8(body);
  try {
    return parseStrictJson(text, maxDepth === undefined ? {} : { maxDepth });
  } catch (error) {
    if (error instanceof JsonInputError) throw jsonInputProblem(error);
    throw error;
  }
}

function decodeUtf8(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw invalidJson('The request body is not valid UTF-8');
  }
}
