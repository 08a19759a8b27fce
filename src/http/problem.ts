// Public entry point for HTTP error handling. Route code imports from here;
// the implementation lives in ./problems/ (split to keep files small and free of
// import cycles).
export {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPE_BASE,
  ProblemError,
  badRequest,
  conflict,
  forbidden,
  internalError,
  notFound,
  payloadTooLarge,
  preconditionFailed,
  unauthorized,
  unprocessable,
  unsupportedMediaType,
} from './problems/problem-error.js';
export type { FieldError, ProblemInit } from './problems/problem-error.js';
export { formatFieldPath, zodProblem } from './problems/zod-problem.js';
export { invalidJson, jsonInputProblem, toClientProblem } from './problems/error-mapping.js';
export { problemFrameworkErrors, registerProblemHandling, sendProblem } from './problems/problem-handling.js';
export type { ProblemHandlingOptions } from './problems/problem-handling.js';
