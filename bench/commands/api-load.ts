import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadResult } from './load-result.js';
import type { LoadPlan, LoadReply } from './load-client.js';

const clientFile = fileURLToPath(new URL('./load-client.ts', import.meta.url));

/**
 * Runs the HTTP load in a child process (it inherits tsx's loader through execArgv) and
 * resolves once it has answered and exited (so its CPU time is accounted to this process's
 * children), killing it if it overruns the plan by a wide margin.
 */
export function runApiLoad(plan: LoadPlan): Promise<LoadResult> {
  const child = fork(clientFile, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const deadlineMs = plan.warmupMs + plan.measureMs + 60_000;
  let reply: LoadReply | undefined;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`load generator did not finish within ${deadlineMs} ms`));
    }, deadlineMs);
    child.once('message', (message: LoadReply) => (reply = message));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (reply?.result) resolve(reply.result);
      else reject(new Error(`load generator failed (exit code ${code}): ${reply?.error ?? 'no result'}`));
    });
    child.send(plan);
  });
}
