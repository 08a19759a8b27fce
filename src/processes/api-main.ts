/** `npm run api`: the HTTP API alone; run several behind a load balancer (each on its own PORT). */
import { startApi } from './api.js';
import { runProcess } from './run-process.js';

await runProcess('api', async (endpoints, config, log) => {
  if (config.apiTokens.size === 0) throw new Error('set API_TOKENS: separate API processes must accept the same tokens');
  const api = await startApi({ ...endpoints, config, log });
  log('listening', { url: api.url });
  return api;
});
