import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';

/** Events per logged order (versions 1..5) and per historical batch. */
const EVENTS_PER_ORDER = 5;
const EVENTS_PER_BATCH = 100;

// About the size of a real event: the change and the order's state after it (~900 bytes).
const payload = (n: string) => sql`jsonb_build_object(
  'event', jsonb_build_object('type', 'NoteAdded', 'noteId', md5(${sql.raw(n)}::text), 'text', repeat('note ', 12)),
  'order', jsonb_build_object('orderId', md5((${sql.raw(n)} / ${EVENTS_PER_ORDER})::text)::uuid, 'customerId', 'c-' || (${sql.raw(n)} % 997),
    'status', 'authorized', 'currency', 'USD', 'totalCents', 7800, 'noteCount', 0, 'region', 'eu-west', 'paymentProvider', 'stripe',
    'customer', jsonb_build_object('email', 'buyer@example.com', 'phone', '+14155550123', 'name', 'Buyer'),
    'lines', jsonb_build_array(jsonb_build_object('sku', 'LAMP-01', 'name', 'Desk lamp', 'quantity', 2, 'unitPriceCents', 3900, 'lineTotalCents', 7800)),
    'payment', jsonb_build_object('state', 'authorized', 'provider', 'stripe', 'reference', 'pi_' || md5(${sql.raw(n)}::text)),
    'refund', jsonb_build_object('state', 'none', 'refundedCents', 0), 'placedAt', now(), 'updatedAt', now()))`;

/**
 * `count` events that the relay claimed and the workflows completed long ago: completed
 * batches of 100, dense log positions 1..count, the log head and every read model's
 * checkpoint at the end. One statement per table, so a million rows take a minute, not hours.
 */
export async function fillLoggedEvents(db: Db, count: number, readModels: readonly string[]): Promise<void> {
  await sql`insert into outbox_batches (event_count, first_position, last_position, claimed_at, dispatched_at, completed_at)
    select ${EVENTS_PER_BATCH}, (b - 1) * ${EVENTS_PER_BATCH} + 1, b * ${EVENTS_PER_BATCH}, now(), now(), now()
    from generate_series(1, ${Math.ceil(count / EVENTS_PER_BATCH)}) b`.execute(db);
  await sql`insert into outbox_events (event_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload, occurred_at, batch_id, log_position)
    select md5('e' || n)::uuid, 'order', md5((n / ${EVENTS_PER_ORDER})::text)::uuid, n % ${EVENTS_PER_ORDER} + 1, 'NoteAdded',
      ${payload('n')}, now(), (n - 1) / ${EVENTS_PER_BATCH} + 1, n
    from generate_series(1, ${count}) n`.execute(db);
  await sql`update outbox_log set head = ${count}`.execute(db);
  await sql`insert into read_model_checkpoints (read_model, position)
    select name, ${count} from unnest(${sql.val([...readModels])}::text[]) name
    on conflict (read_model) do update set position = excluded.position`.execute(db);
}

/** `count` fresh events, one new order each, committed and waiting for the relay. */
export async function fillUnclaimedEvents(db: Db, count: number): Promise<void> {
  await sql`insert into outbox_events (event_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload, occurred_at)
    select gen_random_uuid(), 'order', gen_random_uuid(), 1, 'OrderPlaced', ${payload('n')}, now()
    from generate_series(1, ${count}) n`.execute(db);
}

/** What the relay and the read models would have done meanwhile: every batch completed, every checkpoint at the head. */
export async function completeEverything(db: Db, readModels: readonly string[]): Promise<void> {
  await sql`update outbox_batches set dispatched_at = coalesce(dispatched_at, now()), completed_at = now() where completed_at is null`.execute(db);
  await sql`update read_model_checkpoints set position = (select head from outbox_log)
    where read_model = any(${sql.val([...readModels])}::text[])`.execute(db);
}
