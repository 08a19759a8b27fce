// Loads the bad-request corpus: one JSON object per line in corpus/*.jsonl, grouped by
// the kind of mistake. Covering a new route or a new mistake means adding lines, not code.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** An exact status, or a class such as "4xx" where neither README nor issue fixes one. */
export type ExpectedStatus = number | '4xx';

export interface CorpusEntry {
  /** `<file>:<line>`, so a failure points at the data that caused it. */
  where: string;
  name: string;
  expect: ExpectedStatus;
  /** A regular expression the problem body must match (e.g. the failing field's name). */
  mentions?: string;
  /** An HTTP request... */
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** ...with a raw body, a JSON body, or raw bytes... */
  body?: string;
  json?: unknown;
  bodyBase64?: string;
  /** ...or a whole request written to the socket as is, for what no HTTP client would send. */
  raw?: string;
}

export const CORPUS_DIR = fileURLToPath(new URL('./corpus/', import.meta.url));

export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR).filter((name) => name.endsWith('.jsonl')).sort();
}

export function loadCorpus(): CorpusEntry[] {
  return corpusFiles().flatMap((file) => parseCorpusFile(file, readFileSync(CORPUS_DIR + file, 'utf8')));
}

export function parseCorpusFile(file: string, text: string): CorpusEntry[] {
  return text.split('\n').flatMap((line, index) => {
    if (line.trim() === '') return [];
    const where = `${file}:${index + 1}`;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch (error) {
      throw new Error(`${where}: not JSON: ${(error as Error).message}`);
    }
    return [checkEntry(where, entry)];
  });
}

function checkEntry(where: string, value: unknown): CorpusEntry {
  const entry = value as Omit<CorpusEntry, 'where'>;
  const fail = (why: string) => new Error(`${where}: ${why}`);
  if (typeof entry !== 'object' || entry === null) throw fail('each line must be a JSON object');
  if (typeof entry.name !== 'string' || entry.name === '') throw fail('"name" is required');
  if (!(typeof entry.expect === 'number' || entry.expect === '4xx')) throw fail('"expect" must be a status or "4xx"');
  const isRaw = typeof entry.raw === 'string';
  const isHttp = typeof entry.method === 'string' && typeof entry.path === 'string';
  if (isRaw === isHttp) throw fail('give either "raw" or "method" and "path"');
  const bodies = [entry.body, entry.json, entry.bodyBase64].filter((b) => b !== undefined).length;
  if (bodies > 1) throw fail('give at most one of "body", "json", "bodyBase64"');
  return { where, ...entry };
}

/** What data files may refer to; `{key}` is also known: a fresh Idempotency-Key at every use. */
export const PLACEHOLDER_NAMES = [
  'client', 'support', 'operator',
  'orderId', 'totalCents', 'sku', 'spareOrderId', 'spareSku', 'paidOrderId', 'disputeId', 'scarceSku',
] as const;
export type Placeholders = Record<(typeof PLACEHOLDER_NAMES)[number], string>;

const PLACEHOLDER = /\{(\w+)\}/g;
// `{repeat:x:20000}`: long values without 20 KB lines in the data files.
const REPEAT = /\{repeat:(.+?):(\d+)\}/g;

export function fill(text: string, values: Placeholders): string {
  return text
    .replace(REPEAT, (_, unit: string, times: string) => unit.repeat(Number(times)))
    .replace(PLACEHOLDER, (whole, name: string) => (name === 'key' ? randomUUID() : (values[name as keyof Placeholders] ?? whole)));
}

/** Fills placeholders in every string of a JSON value, keys included. */
export function fillJson(value: unknown, values: Placeholders): unknown {
  if (typeof value === 'string') return fill(value, values);
  if (Array.isArray(value)) return value.map((item) => fillJson(item, values));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [fill(k, values), fillJson(v, values)]));
  }
  return value;
}

/** The placeholder names a text uses, `key` and repeats excepted. */
export function placeholdersIn(text: string): string[] {
  return [...text.replace(REPEAT, '').matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => name !== 'key');
}
