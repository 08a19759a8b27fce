// Two refusals node's HTTP server would otherwise answer itself, with a bare body: an
// HTTP/1.1 request without Host (RFC 9112 §3.2) and an Expect the server cannot meet
// (RFC 9110 §10.1.1). Both get problem+json like every other error.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, ProblemError } from './problem-error.js';

function sendProblem(res: ServerResponse, problem: ProblemError): void {
  const body = JSON.stringify(problem.toJSON());
  res.writeHead(problem.status, {
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    connection: 'close',
  });
  res.end(body);
}

/** Node's own Host check is turned off (`requireHostHeader: false`); this one answers instead. */
export function registerHostRequirement(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) {
      throw new ProblemError({ status: 400, type: 'malformed-request', detail: 'an HTTP/1.1 request needs a Host header' });
    }
  });
}

/** `Expect: 100-continue` is met by node itself; any other expectation gets 417. */
export function refuseUnmetExpectations(server: Server): void {
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
    sendProblem(res, new ProblemError({ status: 417, type: 'expectation-failed', detail: 'the only expectation this server meets is 100-continue' }));
  });
}
