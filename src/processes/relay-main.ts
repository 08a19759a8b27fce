/** `npm run relay`: one outbox relay; run several, one leads. */
import { withMetricsEndpoint } from './metrics-endpoint.js';
import { startRelayProcess } from './relay.js';
import { runProcess } from './run-process.js';

await runProcess('relay', (endpoints, config, log) => withMetricsEndpoint(config, log, () => startRelayProcess({ ...endpoints, config, log })));
