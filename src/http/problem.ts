// Public entry point for HTTP error handling. Route code imports from here;
// the implementation lives in ./input/ (split to keep files small and free of
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
} from './input/problem-error.js';
export type { FieldError, ProblemInit } from './input/problem-error.js';
export { formatFieldPath, zodProblem } from './input/zod-problem.js';
export { invalidJson, jsonInputProblem, toClientProblem } from './input/error-mapping.js';
export { problemFrameworkErrors, registerProblemHandling, sendProblem } from './input/problem-handling.js';
export type { ProblemHandlingOptions } from './input/problem-handling.js';
