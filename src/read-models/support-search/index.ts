import type { ReadModel } from '../read-model.js';
import { supportSearchMigrations } from './audit.js';
import { applyToSupportSearch, SUPPORT_SEARCH } from './projection.js';
import { supportSearchRebuild } from './rebuild.js';
import { register } from './routes.js';
import { ensureSupportSearchIndex } from './storage.js';
import { verifySupportSearch } from './verify.js';

/**
 * Orders by contact, free text, state, carrier and more, for support agents, in OpenSearch.
 * Version 2: notes, folded free text and phone suffixes (index `<prefix>-support-v2`).
 */
export const supportSearch: ReadModel = {
  name: SUPPORT_SEARCH,
  version: 2,
  store: 'opensearch',
  handles: 'all',
  searchRebuild: supportSearchRebuild,
  apply: applyToSupportSearch,
  migrations: supportSearchMigrations,
  ensureStorage: (deps) => ensureSupportSearchIndex(deps.search, deps.searchIndexPrefix),
  routes: register,
  verify: verifySupportSearch,
};
