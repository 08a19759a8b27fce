// Preloaded into each soak child process (`node --import tsx --import <this> …`): prints its own
// memory and live handle count every SOAK_PROBE_MS as one `[soak-probe] {json}` line, the only
// way to read a child's V8 heap from outside without touching the app's code. Plain JavaScript:
// the Temporal worker's workflow threads inherit the flag but not tsx's loader.
import { isMainThread } from 'node:worker_threads';

const every = Number(process.env.SOAK_PROBE_MS);
if (isMainThread && Number.isFinite(every) && every > 0) {
  const read = () => {
    const memory = process.memoryUsage();
    // Live libuv handles and requests: sockets, timers, servers, file handles.
    return { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, activeResources: process.getActiveResourcesInfo().length };
  };
  // unref: the probe must never keep a stopping process alive.
  setInterval(() => console.log(`[soak-probe] ${JSON.stringify(read())}`), every).unref();
}
