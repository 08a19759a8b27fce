/**
 * The pgbench transaction: the same database work the API does for one POST /orders
 * (src/http/command-handler.ts, src/commands/place-order.ts), statement for statement,
 * with the same row locks in the same order. Variables come from pgbench's -D (the JSON
 * documents) and \gset (ids the server generates).
 */
export interface ScriptOptions {
  products: number;
  /** true: claim the Idempotency-Key in its own transaction first (the API claims it in the command transaction). */
  claimInOwnTransaction: boolean;
}

const sku = (v: string) => `'BENCH-' || :${v}::text`;

const draw = (products: number) => `\\set n random(1, 3)
\\set start random(0, ${products - 1})
\\set s1 :start
\\set s2 (:start + 1) % ${products}
\\set s3 (:start + 2) % ${products}
\\set q1 random(1, 3)
\\set q2 random(1, 3)
\\set q3 random(1, 3)
\\set cust random(1, 99999999)`;

// Mirrors claimKey(): insert, or retake only an expired key. The caller has no
// colon (the API's has one): pgbench rewrites every :name, even inside string literals.
const claim = `insert into idempotency_keys (caller, key, request_hash, state, locked_until, expires_at)
values ('client-bench', gen_random_uuid()::text, md5(random()::text) || md5(random()::text), 'in_flight',
        now() + 60000 * interval '1 millisecond', now() + 86400000 * interval '1 millisecond')
on conflict (caller, key) do update set request_hash = excluded.request_hash, state = 'in_flight',
  response_status = null, response_headers = null, response_body = null,
  locked_until = excluded.locked_until, expires_at = excluded.expires_at, created_at = now()
where idempotency_keys.expires_at < now()
returning key as ikey, gen_random_uuid() as oid, gen_random_uuid() as eid
\\gset`;

/** One statement per item count, as the API sends one statement whatever the count. */
function byCount(statement: (count: number) => string): string {
  return `\\if :n = 1\n${statement(1)}\n\\elif :n = 2\n${statement(2)}\n\\else\n${statement(3)}\n\\endif`;
}

const lockProducts = (count: number) =>
  `select * from products where sku in (${[1, 2, 3].slice(0, count).map((i) => sku(`s${i}`)).join(', ')}) order by sku for update;`;

const itemRow = (i: number) => `(:oid, ${sku(`s${i}`)}, 'Bench product', :q${i}, 1000, 1000 * :q${i})`;
const insertItems = (count: number) =>
  `insert into order_items (order_id, sku, name, quantity, unit_price_cents, line_total_cents) values ${[1, 2, 3].slice(0, count).map(itemRow).join(', ')};`;

const updateStock = (i: number) =>
  `update products set stock = stock - :q${i}, updated_at = now() where sku = ${sku(`s${i}`)} and stock >= :q${i};`;

const insertOrder = `insert into orders (id, customer_id, status, version, total_cents, currency, state, created_at, updated_at)
values (:oid, 'cust-' || :cust::text, 'placed', 1, 5000, 'USD', :state::jsonb, now(), now());`;

const insertEvent = `insert into outbox_events (event_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload, occurred_at)
values (:eid, 'order', :oid, 1, 'OrderPlaced', :payload::jsonb, now());`;

const completeKey = `update idempotency_keys set state = 'completed', response_status = 201,
  response_headers = :rheaders::jsonb, response_body = :rbody::jsonb
where caller = 'client-bench' and key = :ikey;`;

export function pgbenchScript(options: ScriptOptions): string {
  // In the transaction, as runCommand: the claim's bounded wait, then the command's savepoint.
  const head = options.claimInOwnTransaction
    ? [claim, 'begin;']
    : ['begin;', "select set_config('lock_timeout', '200ms', true);", claim, 'reset lock_timeout;', 'savepoint command;'];
  return [
    draw(options.products),
    ...head,
    byCount(lockProducts),
    insertOrder,
    byCount(insertItems),
    updateStock(1),
    `\\if :n >= 2\n${updateStock(2)}\n\\endif`,
    `\\if :n >= 3\n${updateStock(3)}\n\\endif`,
    insertEvent,
    completeKey,
    'commit;',
    '',
  ].join('\n');
}
