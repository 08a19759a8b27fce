import type { SearchClient } from '../../search/client.js';
import { StoreMissingError } from '../failures/apply-with-holds.js';
import type { ReadModelDeps, SearchRebuild } from '../read-model.js';
import { createSupportIndex, indicesBehind, isCurrentSupportIndex, openForReads, supportSearchIndexNames } from './storage.js';

/**
 * A rebuild fills a new physical index `<prefix>-support-v2-r<k>` beside the live one. The
 * model's own apply writes to it through a shadow alias: its deps carry the prefix
 * `<prefix>-rebuild`, whose support alias (`<prefix>-rebuild-support`) is on the new index
 * only, so writes keep `require_alias` and never touch the live alias.
 */
function shadowPrefix(prefix: string): string {
  return `${prefix}-rebuild`;
}

function shadowAlias(prefix: string): string {
  return supportSearchIndexNames(shadowPrefix(prefix)).alias;
}

/** The next unused rebuild number among the indices of the current version. */
async function nextIndexName(client: SearchClient, prefix: string): Promise<string> {
  const { index } = supportSearchIndexNames(prefix);
  const numbers = (await currentIndices(client, prefix)).filter((n) => n !== index).map((n) => Number(n.slice(index.length + 2)));
  return `${index}-r${Math.max(0, ...numbers) + 1}`;
}

async function deleteIndices(client: SearchClient, indices: readonly string[]): Promise<void> {
  if (indices.length > 0) await client.indices.delete({ index: indices.join(',') }, { ignore: [404] });
}

/** The one index a rebuild fills; fails loudly when it is gone (deleted under the rebuild). */
async function shadowIndex(client: SearchClient, prefix: string): Promise<string> {
  const [index, ...others] = await indicesBehind(client, shadowAlias(prefix));
  if (!index || others.length > 0) throw new StoreMissingError(`no single rebuild index behind ${shadowAlias(prefix)}`);
  return index;
}

/** Every index of the current version (the first one and those rebuilds made). */
async function currentIndices(client: SearchClient, prefix: string): Promise<string[]> {
  const { index } = supportSearchIndexNames(prefix);
  const response = await client.indices.get({ index: `${index}*` }, { ignore: [404] });
  const names = response.statusCode === 404 ? [] : Object.keys(response.body as Record<string, unknown>);
  return names.filter((n) => isCurrentSupportIndex(prefix, n));
}

export const supportSearchRebuild: SearchRebuild = {
  async prepare({ search, searchIndexPrefix: prefix }: ReadModelDeps): Promise<void> {
    // An abandoned rebuild's index still holds the shadow alias: it goes first.
    await deleteIndices(search, await indicesBehind(search, shadowAlias(prefix)));
    // No refreshes while it fills: nobody reads it until the swap opens it for reads.
    await createSupportIndex(search, await nextIndexName(search, prefix), { aliases: [shadowAlias(prefix)], refreshInterval: '-1' });
  },

  shadowDeps: (deps: ReadModelDeps): ReadModelDeps => ({ ...deps, searchIndexPrefix: shadowPrefix(deps.searchIndexPrefix) }),

  async swapAlias({ search, searchIndexPrefix: prefix }: ReadModelDeps): Promise<string[]> {
    const { alias } = supportSearchIndexNames(prefix);
    const index = await shadowIndex(search, prefix);
    await openForReads(search, index);
    const held = await indicesBehind(search, alias);
    // One request: readers and writers move from the old index to the new at one instant. The
    // wildcard removal cannot fail when the old index is gone (deleted): then it only adds.
    await search.indices.updateAliases({
      body: { actions: [{ remove: { index: `${prefix}-support-v*`, alias, must_exist: false } }, { add: { index, alias } }] } as never,
    });
    return held.filter((n) => n !== index);
  },

  /**
   * Deletes the indices the alias left, and any other index of the current version the alias
   * is not on (left by a swap that was interrupted); older versions stay. The shadow alias goes.
   */
  async cleanUp({ search, searchIndexPrefix: prefix }: ReadModelDeps, replaced: readonly string[]): Promise<void> {
    const live = await indicesBehind(search, supportSearchIndexNames(prefix).alias);
    if (live.length === 0) throw new Error('the support alias is on no index after the swap');
    const stale = [...new Set([...replaced, ...(await currentIndices(search, prefix))])].filter((n) => !live.includes(n));
    await deleteIndices(search, stale);
    await search.indices.deleteAlias({ index: '_all', name: shadowAlias(prefix) }, { ignore: [404] });
  },

};
