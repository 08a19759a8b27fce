// Turns zod validation failures into a 400 problem listing every failing
// field. Only paths and messages are used, never `input`, so submitted
// values (possibly personal data) are not echoed back.
import type { z } from 'zod';
import { ProblemError, type FieldError } from './problem-error.js';

// A body with thousands of unknown keys must not yield a megabyte of errors.
const MAX_FIELD_ERRORS = 20;
const MAX_KEY_LENGTH = 64;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

type Issue = z.core.$ZodIssue;

export function zodProblem(error: z.core.$ZodError): ProblemError {
  const all = error.issues.flatMap(toFieldErrors);
  const errors = all.slice(0, MAX_FIELD_ERRORS);
  const first = errors[0] ?? { field: '', detail: 'is invalid' };
  const others = all.length - 1;
  const suffix = others > 0 ? ` (and ${others} more ${others === 1 ? 'error' : 'errors'})` : '';
  return new ProblemError({
    status: 400,
    title: 'Validation Failed',
    type: 'validation-failed',
    detail: `${first.field || 'request'}: ${first.detail}${suffix}`,
    extensions: { errors },
  });
}

function toFieldErrors(issue: Issue): FieldError[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      field: formatFieldPath([...issue.path, key]),
      detail: `unknown field ${JSON.stringify(truncate(key))}`,
    }));
  }
  return [{ field: formatFieldPath(issue.path), detail: friendlyMessage(issue) }];
}

function friendlyMessage(issue: Issue): string {
  // zod's default for a missing member; our field helpers already say "is required".
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return 'is required';
  return issue.message;
}

/** `["items", 0, "quantity"]` → `items[0].quantity`; odd keys are quoted: `meta["a.b"]`. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'symbol') out += `[${String(segment)}]`;
    else if (segment.length <= MAX_KEY_LENGTH && IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(truncate(segment))}]`;
  }
  return out;
}

function truncate(key: string): string {
  return key.length > MAX_KEY_LENGTH ? `${key.slice(0, MAX_KEY_LENGTH)}…` : key;
}
