import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_NAMES, corpusFiles, fill, loadCorpus, parseCorpusFile, placeholdersIn, type CorpusEntry, type Placeholders } from './corpus.js';
import { loadFuzzRoutes } from './fuzz-arbitraries.js';

const corpus = loadCorpus();
const routes = loadFuzzRoutes();

/** `/orders/{id}/notes` matches `/orders/{orderId}/notes` and `/orders/not-a-uuid/notes`. */
function matcher(template: string): RegExp {
  const pattern = template.split(/\{[^}]*\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/?]+');
  return new RegExp(`^${pattern}(\\?|$)`);
}

/** The routes README.md names, e.g. "POST /orders/{id}/refunds". */
function readmeRoutes(): Array<{ method: string; path: string }> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const found = [...readme.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[\w{}/.-]*)/g)].map((m) => ({ method: m[1]!, path: m[2]! }));
  return [...new Map(found.map((route) => [`${route.method} ${route.path}`, route])).values()];
}

// By path: a wrong method on a route (405) is bad input for that route too; /health takes no other.
const covers = (entries: CorpusEntry[], path: string) => entries.some((entry) => entry.path !== undefined && matcher(path).test(entry.path));

describe('the bad-request corpus files', () => {
  it('hold at least 200 requests, with unique names', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const names = corpus.map((entry) => entry.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('have one file per class of mistake, none empty', () => {
    expect(corpusFiles().length).toBeGreaterThanOrEqual(15);
    for (const file of corpusFiles()) expect(corpus.some((entry) => entry.where.startsWith(`${file}:`)), file).toBe(true);
  });

  it('cover every route of the fuzzer list, which covers every route README.md names', () => {
    const readme = readmeRoutes();
    expect(readme.length).toBeGreaterThan(5);
    expect(readme.filter(({ method, path }) => !routes.some((r) => r.method === method && matcher(path).test(r.path)))).toEqual([]);
    expect(routes.filter(({ path }) => !covers(corpus, path))).toEqual([]);
  });

  it('use only placeholders the tests fill in', () => {
    const texts = corpus.flatMap((entry) => [entry.path, entry.raw, entry.body, JSON.stringify(entry.json), ...Object.values(entry.headers ?? {})]);
    const used = new Set([...texts, ...routes.map((route) => JSON.stringify(route))].flatMap((text) => (text ? placeholdersIn(text) : [])));
    expect([...used].filter((name) => !(PLACEHOLDER_NAMES as readonly string[]).includes(name))).toEqual([]);
  });
});

describe('the corpus loader', () => {
  const values = Object.fromEntries(PLACEHOLDER_NAMES.map((name) => [name, `<${name}>`])) as Placeholders;

  it('fills placeholders and repeats, and leaves JSON braces alone', () => {
    expect(fill('{"a":"{sku}","b":"{repeat:ab:3}"}', values)).toBe('{"a":"<sku>","b":"ababab"}');
    expect(fill('{repeat:[:2}{repeat:]:2}', values)).toBe('[[]]');
    expect(fill('{unknown}', values)).toBe('{unknown}');
    expect(fill('{key}', values)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('names the file and line of a malformed entry', () => {
    expect(() => parseCorpusFile('x.jsonl', '\n{"name":"a","expect":400}')).toThrow(/x\.jsonl:2: give either "raw" or "method" and "path"/);
    expect(() => parseCorpusFile('x.jsonl', '{"name":"a","expect":"5xx","raw":"GET"}')).toThrow(/x\.jsonl:1: "expect"/);
    expect(() => parseCorpusFile('x.jsonl', 'not json')).toThrow(/x\.jsonl:1: not JSON/);
  });
});
