import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { StoredOrderEvent } from '../../outbox/envelope.js';

/** An order's NoteAdded event as the outbox log holds it. */
export interface NoteEvent {
  orderId: string;
  version: number;
  text: string;
}

/** The notes of an order up to `version`, oldest first: exactly what a document at that version holds. */
export function notesUpTo(notes: readonly NoteEvent[], orderId: string, version: number): string[] {
  return notes
    .filter((n) => n.orderId === orderId && n.version <= version)
    .sort((a, b) => a.version - b.version)
    .map((n) => n.text);
}

/**
 * The NoteAdded events of the orders about to be indexed, read from the outbox log: each event
 * carries the order's state but only its own note, and a document is replaced whole. Every
 * note below an event's version committed before it (one order's commands serialize on its
 * row), so the log always has them when the event is applied.
 */
export async function loadNotes(db: Kysely<Database>, latest: readonly StoredOrderEvent[]): Promise<NoteEvent[]> {
  const withNotes = latest.filter((e) => e.payload.order.noteCount > 0).map((e) => e.aggregateId);
  if (withNotes.length === 0) return [];
  const rows = await db
    .selectFrom('outbox_log_events')
    .select(['aggregate_id', 'aggregate_version', 'payload'])
    .where('aggregate_id', 'in', withNotes)
    .where('event_type', '=', 'NoteAdded')
    .execute();
  return rows.map((r) => ({
    orderId: r.aggregate_id,
    version: r.aggregate_version,
    text: (r.payload as { event: { text: string } }).event.text,
  }));
}

/**
 * The notes each event's document must hold. A count that disagrees with the order's state
 * means the log is not what it should be: fail loudly rather than index a wrong document.
 */
export function notesFor(event: StoredOrderEvent, notes: readonly NoteEvent[]): string[] {
  const texts = notesUpTo(notes, event.aggregateId, event.aggregateVersion);
  if (texts.length !== event.payload.order.noteCount) {
    throw new Error(`order ${event.aggregateId} v${event.aggregateVersion}: ${texts.length} notes in the log, the state counts ${event.payload.order.noteCount}`);
  }
  return texts;
}
