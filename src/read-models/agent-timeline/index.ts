import type { ReadModel } from '../read-model.js';
import { AGENT_TIMELINE, applyToAgentTimeline } from './projection.js';
import { register } from './routes.js';
import { agentTimelineMigrations } from './storage.js';
import { verifyAgentTimeline } from './verify.js';

/** Every event of each order, stitched in version order, for support agents: GET /orders/{id}/timeline. */
export const agentTimeline: ReadModel = {
  name: AGENT_TIMELINE,
  version: 1,
  store: 'postgres',
  tables: ['agent_timeline'],
  handles: 'all',
  // Every event of an order counts: after a failed event, later ones of that order wait.
  needsEveryEvent: true,
  apply: (deps, events) => applyToAgentTimeline(deps.db, events),
  migrations: agentTimelineMigrations,
  routes: register,
  verify: verifyAgentTimeline,
};
