/**
 * Polling with a deadline, for anything that becomes ready "eventually":
 * a server starting, a projection catching up, a workflow finishing.
 */
export interface WaitOptions {
  timeoutMs: number;
  /** Pause between attempts; the last pause is cut short so the deadline holds. */
  intervalMs?: number;
  /** Names what is awaited, so a timeout says what did not happen. */
  description: string;
  /** Stops waiting early, e.g. when the process being probed has exited. */
  signal?: AbortSignal;
}

/**
 * Calls `probe` until it returns a value other than `undefined`/`false`.
 * A throwing probe counts as "not yet"; its error is kept so the timeout
 * message explains why the thing never became ready.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  options: WaitOptions,
): Promise<T> {
  const { timeoutMs, intervalMs = 250, description, signal } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    throwIfAborted(signal, description);
    try {
      const result = await probe();
      if (result !== undefined && result !== false) return result;
    } catch (error) {
      lastError = error;
    }
    throwIfAborted(signal, description);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw timeoutError(description, timeoutMs, lastError);
    await sleep(Math.min(intervalMs, remaining), signal);
  }
}

function throwIfAborted(signal: AbortSignal | undefined, description: string): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  const detail = reason instanceof Error ? reason.message : String(reason);
  throw new Error(`Stopped waiting for ${description}: ${detail}`, { cause: reason });
}

function timeoutError(description: string, timeoutMs: number, lastError: unknown): Error {
  const detail = lastError === undefined ? 'no error reported' : describeError(lastError);
  return new Error(`Timed out after ${timeoutMs} ms waiting for ${description} (last error: ${detail})`, {
    cause: lastError,
  });
}

export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    // Node wraps failed dual-stack connects in an AggregateError with an empty message.
    return error.errors.map(describeError).join('; ');
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
