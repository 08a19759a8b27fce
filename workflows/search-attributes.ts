import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * The custom search attributes of batch workflows, in one dependency-free module: the relay
 * sets them at dispatch, the workflow upserts `FailedReadModels`, start-up registers them and
 * the re-drive command queries them. Operators filter on them in the Temporal UI.
 */
export const ORDER_IDS = defineSearchAttributeKey('OrderIds', 'KEYWORD_LIST');
/** Lowest and highest outbox `position` (not log position) among the batch's events. */
export const FIRST_POSITION = defineSearchAttributeKey('FirstPosition', 'INT');
export const LAST_POSITION = defineSearchAttributeKey('LastPosition', 'INT');
/** Read models whose activity failed in this run, sorted; absent while none has. */
export const FAILED_READ_MODELS = defineSearchAttributeKey('FailedReadModels', 'KEYWORD_LIST');

export const BATCH_SEARCH_ATTRIBUTES = [ORDER_IDS, FIRST_POSITION, LAST_POSITION, FAILED_READ_MODELS] as const;
