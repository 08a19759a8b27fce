/**
 * What a conditional write expects of the current version: any existing version (`*`), or one
 * of a list. The HTTP layer derives it from If-Match / If-None-Match; an empty list is
 * legitimate (the client named only tags that can never match) and matches nothing.
 */
export type VersionCondition = 'any' | readonly number[];

/** Whether a resource at `current` (undefined: it does not exist) satisfies the condition. */
export function versionMatches(condition: VersionCondition, current: number | undefined): boolean {
  if (current === undefined) return false;
  return condition === 'any' || condition.includes(current);
}
