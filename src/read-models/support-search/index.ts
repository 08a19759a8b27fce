import type { ReadModel } from '../read-model.js';
import { applyToSupportSearch, SUPPORT_SEARCH } from './projection.js';
import { register } from './routes.js';
import { ensureSupportSearchIndex, supportSearchIndexNames } from './storage.js';
import { verifySupportSearch } from './verify.js';

/** Orders by email, phone, customer or status, for support agents, in OpenSearch. */
export const supportSearch: ReadModel = {
  name: SUPPORT_SEARCH,
  version: 1,
  store: 'opensearch',
  handles: 'all',
  apply: (deps, events) => applyToSupportSearch(deps.search, supportSearchIndexNames(deps.searchIndexPrefix).alias, events),
  ensureStorage: (deps) => ensureSupportSearchIndex(deps.search, deps.searchIndexPrefix),
  routes: register,
  verify: verifySupportSearch,
};
