// The worker's workflow bundle entry point: every workflow the projection worker runs.
export { projectOutboxBatch } from './project-outbox-batch.js';
export { rebuildReadModel } from './rebuild-read-model.js';
export { archiveOutbox } from './archive-outbox.js';
