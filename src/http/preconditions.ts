import type { FastifyRequest } from 'fastify';
import type { VersionCondition } from '../commands/version-condition.js';
import { parseTagCondition, tagVersion, versionTag, weakMatch, type TagCondition } from './entity-tags.js';
import { ProblemError } from './problem.js';

type ConditionalHeader = 'If-Match' | 'If-None-Match';

function invalidHeader(name: ConditionalHeader): ProblemError {
  return new ProblemError({
    status: 400,
    title: `Invalid ${name}`,
    detail: `${name} must be * or a comma-separated list of entity-tags such as "3" or W/"3", as the API sends in ETag`,
    extensions: { header: name },
  });
}

/** The parsed header, undefined when absent; a malformed value is the client's error (400). */
function tagCondition(request: FastifyRequest, name: ConditionalHeader): TagCondition | undefined {
  const value = request.headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  const condition = typeof value === 'string' ? parseTagCondition(value) : undefined;
  if (!condition) throw invalidHeader(name);
  return condition;
}

/** The versions a tag list names, compared strongly (If-Match) or weakly (If-None-Match). */
function namedVersions(condition: TagCondition, strong: boolean): VersionCondition {
  if (condition.any) return 'any';
  const usable = strong ? condition.tags.filter((tag) => !tag.weak) : condition.tags;
  return usable.map(tagVersion).filter((version) => version !== undefined);
}

/**
 * `If-Match` as the versions a write accepts. RFC 9110 §13.1.1 uses the strong comparison, so
 * weak tags never match; a list matches when any member does. Undefined when absent.
 */
export function ifMatchVersions(request: FastifyRequest): VersionCondition | undefined {
  const condition = tagCondition(request, 'If-Match');
  return condition && namedVersions(condition, true);
}

/** `If-None-Match` as the versions a write must not find (weak comparison, RFC 9110 §13.1.2). */
export function ifNoneMatchVersions(request: FastifyRequest): VersionCondition | undefined {
  const condition = tagCondition(request, 'If-None-Match');
  return condition && namedVersions(condition, false);
}

/**
 * Whether a read may answer 304: `If-None-Match` is `*` or names the current entity-tag under
 * the weak comparison. Call it once the resource is known to exist.
 */
export function notModified(request: FastifyRequest, currentVersion: number): boolean {
  const condition = tagCondition(request, 'If-None-Match');
  if (!condition) return false;
  const current = versionTag(currentVersion);
  return condition.any || condition.tags.some((tag) => weakMatch(tag, current));
}
