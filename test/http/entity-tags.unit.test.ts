import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { parseTagCondition, tagVersion, weakMatch } from '../../src/http/entity-tags.js';
import { ifMatchVersions, ifNoneMatchVersions, notModified } from '../../src/http/preconditions.js';
import { ProblemError } from '../../src/http/problem.js';

const withHeaders = (headers: Record<string, string>) => ({ headers }) as unknown as FastifyRequest;

describe('parseTagCondition', () => {
  it('reads *, single tags, weak tags and lists', () => {
    expect(parseTagCondition('*')).toEqual({ any: true });
    expect(parseTagCondition(' * ')).toEqual({ any: true });
    expect(parseTagCondition('"3"')).toEqual({ any: false, tags: [{ weak: false, opaque: '3' }] });
    expect(parseTagCondition('W/"3"')).toEqual({ any: false, tags: [{ weak: true, opaque: '3' }] });
    expect(parseTagCondition('"0", W/"1",\t"x"')).toEqual({
      any: false,
      tags: [{ weak: false, opaque: '0' }, { weak: true, opaque: '1' }, { weak: false, opaque: 'x' }],
    });
  });

  it('keeps commas inside an opaque tag and tolerates empty list elements', () => {
    expect(parseTagCondition('"a,b"')).toEqual({ any: false, tags: [{ weak: false, opaque: 'a,b' }] });
    expect(parseTagCondition(', "1" ,, "2",')).toEqual({ any: false, tags: [{ weak: false, opaque: '1' }, { weak: false, opaque: '2' }] });
    expect(parseTagCondition('""')).toEqual({ any: false, tags: [{ weak: false, opaque: '' }] });
  });

  it.each([
    ['an unquoted version', '3'],
    ['an unterminated quote', '"3'],
    ['a lowercase weak prefix', 'w/"3"'],
    ['a space after W/', 'W/ "3"'],
    ['two tags without a comma', '"1" "2"'],
    ['* inside a list', '*, "1"'],
    ['a quote inside the tag', '"a"b"'],
    ['a control character', '"a\u0001"'],
    ['an empty value', ''],
    ['only commas', ' , , '],
  ])('refuses %s', (_name, value) => {
    expect(parseTagCondition(value)).toBeUndefined();
  });
});

describe('comparisons', () => {
  it('weak comparison ignores weakness, not the opaque text', () => {
    expect(weakMatch({ weak: true, opaque: '1' }, { weak: false, opaque: '1' })).toBe(true);
    expect(weakMatch({ weak: false, opaque: '1' }, { weak: false, opaque: '01' })).toBe(false);
  });

  it('reads a version only from the exact text the API writes', () => {
    expect(tagVersion({ weak: false, opaque: '12' })).toBe(12);
    for (const opaque of ['0', '01', '1.0', '+1', '1e3', '', 'abc', '9'.repeat(16)]) {
      expect(tagVersion({ weak: false, opaque })).toBeUndefined();
    }
  });
});

describe('request preconditions', () => {
  it('If-Match uses the strong comparison: weak tags name no version', () => {
    expect(ifMatchVersions(withHeaders({}))).toBeUndefined();
    expect(ifMatchVersions(withHeaders({ 'if-match': '*' }))).toBe('any');
    // "0" and "x" are valid tags that can never be a version; W/"2" is weak.
    expect(ifMatchVersions(withHeaders({ 'if-match': '"0", "1", W/"2", "x"' }))).toEqual([1]);
    expect(ifMatchVersions(withHeaders({ 'if-match': 'W/"1"' }))).toEqual([]);
  });

  it('If-None-Match uses the weak comparison', () => {
    expect(ifNoneMatchVersions(withHeaders({ 'if-none-match': 'W/"4", "5"' }))).toEqual([4, 5]);
    expect(notModified(withHeaders({ 'if-none-match': 'W/"4"' }), 4)).toBe(true);
    expect(notModified(withHeaders({ 'if-none-match': '"3", "4"' }), 4)).toBe(true);
    expect(notModified(withHeaders({ 'if-none-match': '*' }), 4)).toBe(true);
    expect(notModified(withHeaders({ 'if-none-match': '"3"' }), 4)).toBe(false);
    expect(notModified(withHeaders({}), 4)).toBe(false);
  });

  it('answers a malformed header with a 400 problem naming it', () => {
    const badIfMatch = catchProblem(() => ifMatchVersions(withHeaders({ 'if-match': '3' })));
    expect(badIfMatch).toMatchObject({ status: 400, title: 'Invalid If-Match' });
    expect(badIfMatch.toJSON()).toMatchObject({ header: 'If-Match' });
    const badIfNoneMatch = catchProblem(() => notModified(withHeaders({ 'if-none-match': 'W/3' }), 1));
    expect(badIfNoneMatch).toMatchObject({ status: 400, title: 'Invalid If-None-Match' });
    expect(badIfNoneMatch.toJSON()).toMatchObject({ header: 'If-None-Match' });
  });
});

function catchProblem(run: () => unknown): ProblemError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error('expected a ProblemError');
}
