// fast-check arbitraries for HTTP requests against the routes in routes.json: mostly
// near-valid requests with one or more things wrong, so the fuzzer reaches past the
// first check of each route instead of bouncing off authentication every time.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Role } from '../../src/config.js';
import { DROP, formatPath, objectPaths, setAt, valueAt, valuePaths, type JsonPath } from './json-paths.js';

export interface FuzzRoute {
  method: string;
  path: string;
  /** Roles allowed to call it; empty for public routes. */
  roles: Role[];
  needsIdempotencyKey: boolean;
  body?: Record<string, unknown>;
  query?: Record<string, string>;
}

export interface FuzzRequest {
  method: string;
  /** With `{placeholders}` still in it. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Why this request must be refused, when it certainly must. */
  mustFail?: string;
}

export function loadFuzzRoutes(): FuzzRoute[] {
  return JSON.parse(readFileSync(new URL('./routes.json', import.meta.url), 'utf8')) as FuzzRoute[];
}

const ROLES: Role[] = ['client', 'support', 'operator'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];
/** Printable ASCII only: node:http refuses to send anything else in a header. */
const headerText = fc.string({ unit: 'grapheme-ascii', maxLength: 40 });
/** Number literals that no field may take: not exact integers, or past 2^53 - 1. */
const INEXACT_LITERALS = ['1.0', '1.5e3', '0.99999999999999999', '9007199254740993', '1E400', '1e-7', '123456789012345678901234567890'];
/** Literals some fields take and others refuse. */
const EDGE_LITERALS = ['-0', '-1', '0', '1', '999999999'];
/** Stands in for a number literal until the body is serialized, since JSON.stringify cannot write `1.0`. */
const NUMBER_SLOT = '__fuzz_number_literal__';
/** Values every field refuses: blank, invisible or control text. */
const REFUSED_TEXT = ['', ' ', '\u200b', '\u2028', '\u202e', '\u2060\u200d', '\u0000', '\ufeff'];

const junkValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constant('é'.repeat(300)),
  fc.double(),
  fc.bigInt().map((n) => Number(n)),
);

type Mutation = { json: unknown; literal?: string; mustFail?: string };

function bodyMutation(example: Record<string, unknown>): fc.Arbitrary<Mutation> {
  const member = fc.constantFrom(...valuePaths(example));
  const replace = (path: JsonPath, value: unknown) => setAt(example, path, value);
  const unknownMember = fc.tuple(fc.constantFrom(...objectPaths(example)), fc.string({ minLength: 1, maxLength: 12 }), junkValue)
    .filter(([path, name]) => name !== '__proto__' && !Object.hasOwn(valueAt(example, path) as object, name))
    .map(([path, name, value]) => ({ json: replace([...path, name], value), mustFail: `unknown member ${JSON.stringify(name)} in ${formatPath(path)}` }));
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<Mutation>({ json: example }) },
    member.map((path) => ({ json: replace(path, DROP) })),
    unknownMember,
    fc.tuple(member, junkValue).map(([path, value]) => ({ json: replace(path, value) })),
    fc.tuple(member, fc.constantFrom(...REFUSED_TEXT)).map(([path, value]) => ({ json: replace(path, value), mustFail: `${JSON.stringify(value)} in ${formatPath(path)}` })),
    fc.tuple(member, fc.constantFrom(...EDGE_LITERALS)).map(([path, literal]) => ({ json: replace(path, NUMBER_SLOT), literal })),
    fc.tuple(member, fc.constantFrom(...INEXACT_LITERALS)).map(([path, literal]) => ({ json: replace(path, NUMBER_SLOT), literal, mustFail: `${literal} in ${formatPath(path)}` })),
  );
}

function bodyArbitrary(route: FuzzRoute): fc.Arbitrary<{ body?: string; mustFail?: string }> {
  const raw = fc.oneof(
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('', '{', '{"a":1,"a":2}', '[]', 'null', '{"text":"\\ud800"}', `{"text":"${'x'.repeat(70_000)}"}`),
  );
  const rawBody = raw.map((body) => ({ body }));
  if (!route.body) return fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, rawBody);
  const mutated = bodyMutation(route.body).map(({ json, literal, mustFail }) => {
    const text = JSON.stringify(json);
    return { body: literal === undefined ? text : text.replace(JSON.stringify(NUMBER_SLOT), literal), mustFail };
  });
  return fc.oneof({ weight: 4, arbitrary: mutated }, rawBody, fc.constant({}));
}

function authArbitrary(route: FuzzRoute): fc.Arbitrary<{ authorization?: string; mustFail?: string }> {
  if (route.roles.length === 0) return fc.constant({});
  const allowed = route.roles.map((role) => ({ authorization: `Bearer {${role}}` }));
  const others = ROLES.filter((role) => !route.roles.includes(role)).map((role) => ({ authorization: `Bearer {${role}}`, mustFail: `role ${role}` }));
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...allowed) },
    ...(others.length > 0 ? [fc.constantFrom(...others)] : []),
    fc.constant({ mustFail: 'no credentials' }),
    headerText.map((junk) => ({ authorization: junk, mustFail: 'junk credentials' })),
  );
}

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  fc.constantFrom('text/plain', 'application/merge-patch+json', 'application/json; charset=latin1', 'application/x-www-form-urlencoded', ''),
  headerText,
);

const idempotencyKey = fc.oneof(
  { weight: 6, arbitrary: fc.constant('{key}') },
  headerText,
  fc.constant(undefined),
);

/** Headers the routes do not read, which the server must still survive. */
const extraHeader = fc.option(
  fc.tuple(fc.constantFrom('accept', 'accept-encoding', 'content-encoding', 'expect', 'range', 'x-forwarded-for', 'cookie'), headerText),
  { freq: 4 },
);

const conditionalTag = fc.option(fc.oneof(fc.constantFrom('*', '"1"', 'W/"1"', '"1", "2"', '"999"'), headerText), { freq: 3 });

function pathArbitrary(route: FuzzRoute): fc.Arbitrary<string> {
  const junkParam = fc.oneof(fc.string({ maxLength: 40 }), fc.uuid(), fc.constantFrom('..', '%', '%00', ''));
  const path = fc.oneof(
    { weight: 5, arbitrary: fc.constant(route.path) },
    junkParam.map((junk) => route.path.replace(/\{\w+\}/, encodeURIComponent(junk))),
  );
  return fc.tuple(path, queryArbitrary(route)).map(([p, query]) => (query === '' ? p : `${p}?${query}`));
}

function queryArbitrary(route: FuzzRoute): fc.Arbitrary<string> {
  const names = Object.keys(route.query ?? {});
  const name = names.length > 0 ? fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 10 })) : fc.string({ maxLength: 10 });
  const pairs = fc.array(fc.tuple(name, fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }))), { maxLength: 4 });
  const valid: fc.Arbitrary<Array<[string, string]>> = route.query ? fc.subarray(Object.entries(route.query), { minLength: 1 }) : fc.constant([]);
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((entries) => new URLSearchParams(entries).toString()) },
    pairs.map((entries) => new URLSearchParams(entries.map(([k, v]): [string, string] => [k, v.replace(/[\ud800-\udfff]/g, '')])).toString()),
    fc.constantFrom('%zz', 'limit=%E0%A4%A', '&&&', 'a[b]=c', `limit=${'9'.repeat(400)}`),
  );
}

type Parts = {
  method: string;
  path: string;
  body: { body?: string; mustFail?: string };
  auth: { authorization?: string; mustFail?: string };
  contentType: string;
  key: string | undefined;
  ifMatch: string | null;
  ifNoneMatch: string | null;
  extra: [string, string] | null;
};

function toRequest(route: FuzzRoute, parts: Parts): FuzzRequest {
  const headers: Record<string, string> = parts.extra === null ? {} : { [parts.extra[0]]: parts.extra[1] };
  if (parts.auth.authorization !== undefined) headers.authorization = parts.auth.authorization;
  if (parts.body.body !== undefined) headers['content-type'] = parts.contentType;
  if (parts.key !== undefined) headers['idempotency-key'] = parts.key;
  if (parts.ifMatch !== null) headers['if-match'] = parts.ifMatch;
  if (parts.ifNoneMatch !== null) headers['if-none-match'] = parts.ifNoneMatch;
  // Another method reaches another route (or none), whose rules these reasons do not speak for.
  const missingKey = route.needsIdempotencyKey && parts.key === undefined ? 'no Idempotency-Key' : undefined;
  const mustFail = parts.method === route.method ? (parts.auth.mustFail ?? missingKey ?? parts.body.mustFail) : undefined;
  const request: FuzzRequest = { method: parts.method, path: parts.path, headers };
  if (parts.body.body !== undefined) request.body = parts.body.body;
  if (mustFail !== undefined) request.mustFail = mustFail;
  return request;
}

export function requestArbitrary(routes: FuzzRoute[]): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...routes).chain((route) =>
    fc.record({
      method: fc.oneof({ weight: 8, arbitrary: fc.constant(route.method) }, fc.constantFrom(...METHODS)),
      path: pathArbitrary(route),
      body: bodyArbitrary(route),
      auth: authArbitrary(route),
      contentType,
      key: idempotencyKey,
      ifMatch: conditionalTag,
      ifNoneMatch: conditionalTag,
      extra: extraHeader,
    }).map((parts) => toRequest(route, parts)),
  );
}
