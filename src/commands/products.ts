import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Product } from '../db/schema.js';
import { CommandRejected, staleVersion } from './errors.js';
import { versionMatches, type VersionCondition } from './version-condition.js';

export interface ProductInput {
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  stock: number;
}

/** A conditional PUT: If-Match (the versions it may replace) and If-None-Match (those it must not). */
export interface ProductPreconditions {
  ifMatch?: VersionCondition | undefined;
  ifNoneMatch?: VersionCondition | undefined;
}

const PRODUCT_COLUMNS = ['sku', 'name', 'price_cents', 'currency', 'stock', 'version', 'updated_at'] as const;

function preconditionFailed(sku: string, message: string, currentVersion: number | null): CommandRejected {
  return new CommandRejected({ code: 'version_mismatch', message: `product ${sku} ${message}`, details: { currentVersion } });
}

/** RFC 9110 §13.2.2: If-Match first (strong), then If-None-Match (weak); any failure is 412. */
function checkPreconditions(sku: string, conditions: ProductPreconditions, current: number | undefined): void {
  const { ifMatch, ifNoneMatch } = conditions;
  if (ifMatch !== undefined && !versionMatches(ifMatch, current)) {
    if (current === undefined) throw preconditionFailed(sku, 'does not exist, so If-Match cannot match', null);
    throw staleVersion(`product ${sku}`, current, ifMatch === 'any' ? [] : ifMatch);
  }
  if (ifNoneMatch !== undefined && versionMatches(ifNoneMatch, current)) {
    throw preconditionFailed(sku, `already exists at version ${current}`, current ?? null);
  }
}

function values(input: ProductInput) {
  return { sku: input.sku, name: input.name, price_cents: input.priceCents, currency: input.currency, stock: input.stock };
}

/** Creates the product, or replaces it unless `createOnly` (then undefined when it exists). */
async function writeProduct(trx: Transaction<Database>, input: ProductInput, createOnly: boolean) {
  return trx
    .insertInto('products')
    .values(values(input))
    .onConflict((oc) =>
      createOnly
        ? oc.column('sku').doNothing()
        : oc.column('sku').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          price_cents: eb.ref('excluded.price_cents'),
          currency: eb.ref('excluded.currency'),
          stock: eb.ref('excluded.stock'),
          updated_at: new Date(),
        })),
    )
    // xmax = 0 only on a fresh insert: the cheapest way to tell created from replaced.
    .returning([...PRODUCT_COLUMNS, sql<boolean>`xmax = 0`.as('created')])
    .executeTakeFirst();
}

/**
 * Creates or replaces a product (operators manage the catalog); returns whether it was new.
 * The preconditions are checked under the row lock, in the transaction that writes, so no
 * other write can slip in between check and update.
 */
export async function upsertProduct(
  db: Kysely<Database>,
  input: ProductInput,
  conditions: ProductPreconditions = {},
): Promise<{ product: Product; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('products').select('version').where('sku', '=', input.sku).forUpdate().executeTakeFirst();
    checkPreconditions(input.sku, conditions, locked?.version);
    // A missing row cannot be locked: a conditional create must not overwrite a concurrent one.
    const createOnly = !locked && conditions.ifNoneMatch !== undefined;
    const row = await writeProduct(trx, input, createOnly);
    if (!row) throw preconditionFailed(input.sku, 'was created concurrently', null);
    const { created, ...product } = row;
    return { product, created };
  });
}
