import type { Db } from '../src/db/database.js';
import { archiveChunk, type ArchiveChunkResult } from '../src/outbox/archive.js';

export interface ArchiveChunkInput {
  chunkSize: number;
}

/**
 * Moves one chunk of the outbox into the event log. Every read model the worker knows must
 * have passed a row before it moves, so a model added later holds everything back until its
 * checkpoint exists.
 */
export function createArchiveActivities(db: Db, readModels: readonly string[]) {
  return {
    archiveOutboxChunk: ({ chunkSize }: ArchiveChunkInput): Promise<ArchiveChunkResult> => archiveChunk(db, readModels, chunkSize),
  };
}
