import { CommandRejected } from '../commands/errors.js';
import type { DomainErrorCode } from '../domain/index.js';
import { rejectionProblem } from './rejections.js';
import type { ResponseSpec } from './routing/define-route.js';

export type RejectionCode = DomainErrorCode | 'version_mismatch';

/** The business refusals a command may answer with, grouped by status, for its route declaration. */
export function rejectionResponses(codes: readonly RejectionCode[]): Record<number, ResponseSpec> {
  const responses: Record<number, { description: string; problemTypes: string[] }> = {};
  for (const code of codes) {
    // Built through the same mapping the command pipeline uses, so status and type agree with it.
    const problem = rejectionProblem(new CommandRejected({ code, message: code, details: {} } as CommandRejected['error']));
    const slug = problem.type.slice(problem.type.lastIndexOf('/') + 1);
    const entry = (responses[problem.status] ??= { description: problem.title, problemTypes: [] });
    if (!entry.problemTypes.includes(slug)) entry.problemTypes.push(slug);
    if (entry.description !== problem.title && !entry.description.includes(problem.title)) entry.description += `; ${problem.title}`;
  }
  return responses;
}
