// What every refusal must look like to a client, whatever caused it: RFC 9457 problem
// details, a status the client can act on, and nothing from inside the server.
import type { RawResponse } from './send.js';

// Stack frames, file positions, driver and SQL text: none of it is meant for a client.
const LEAKS = /\n\s+at |\.(?:ts|js|mjs):\d+|node_modules|SQLSTATE|\bselect\b.+\bfrom\b|\binsert into\b|\bdelete from\b|"stack"\s*:/i;

/** Everything wrong with `response` as a refusal; empty when it is a clean problem. */
export function problemViolations(response: RawResponse, method = 'GET'): string[] {
  const violations: string[] = [];
  if (response.status >= 500) violations.push(`status ${response.status} is a server error`);
  if (response.status < 400) violations.push(`status ${response.status} is not a refusal`);
  const contentType = response.headers['content-type'] ?? '';
  if (!/^application\/problem\+json\s*(;|$)/i.test(contentType)) violations.push(`content-type is ${JSON.stringify(contentType)}`);
  if (response.status === 405 && !response.headers['allow']) violations.push('405 without an Allow header');
  if (method === 'HEAD') return violations;
  return [...violations, ...bodyViolations(response)];
}

function bodyViolations(response: RawResponse): string[] {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(response.text) as Record<string, unknown>;
  } catch {
    return [`body is not JSON: ${JSON.stringify(response.text.slice(0, 120))}`];
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['body is not a JSON object'];
  const violations: string[] = [];
  for (const member of ['type', 'title', 'detail'] as const) {
    if (typeof body[member] !== 'string' || body[member] === '') violations.push(`"${member}" is not a non-empty string`);
  }
  if (body.status !== response.status) violations.push(`"status" ${JSON.stringify(body.status)} differs from HTTP ${response.status}`);
  if (LEAKS.test(response.text)) violations.push(`body leaks internals: ${response.text.slice(0, 200)}`);
  return violations;
}

const PROMETHEUS_TEXT = /^text\/plain; version=0\.0\.4\s*(;|$)/i;
const PROMETHEUS_LINE = /^(#.*|[a-zA-Z_:][\w:]*(\{.*\})? \S+)?$/;

/** What a successful answer must at least be: JSON when it has a body (GET /metrics: the Prometheus text format). */
export function successViolations(response: RawResponse): string[] {
  if (response.text === '') return [];
  const contentType = response.headers['content-type'] ?? '';
  if (PROMETHEUS_TEXT.test(contentType)) {
    const bad = response.text.split('\n').find((line) => !PROMETHEUS_LINE.test(line));
    return bad === undefined ? [] : [`${response.status} with a line that is not Prometheus text: ${bad.slice(0, 80)}`];
  }
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(;|$)/i.test(contentType)) return [`${response.status} with content-type ${JSON.stringify(contentType)}`];
  try {
    JSON.parse(response.text);
    return [];
  } catch {
    return [`${response.status} with a body that is not JSON`];
  }
}

export function statusMatches(status: number, expected: number | '4xx'): boolean {
  return expected === '4xx' ? status >= 400 && status < 500 : status === expected;
}
