/** `npm run relay`: one outbox relay; run several, one leads. */
import { startRelayProcess } from './relay.js';
import { runProcess } from './run-process.js';

await runProcess('relay', (endpoints, config, log) => startRelayProcess({ ...endpoints, config, log }));
