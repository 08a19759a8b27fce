import type { ConnectionLike } from '@temporalio/client';
import { BATCH_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

type Log = (line: string, fields?: Record<string, unknown>) => void;

// temporal.api.enums.v1.IndexedValueType: INDEXED_VALUE_TYPE_INT = 3, INDEXED_VALUE_TYPE_KEYWORD_LIST = 7.
const INDEXED_VALUE_TYPE = { INT: 3, KEYWORD_LIST: 7 } as const;
const GRPC_ALREADY_EXISTS = 6;
const GRPC_PERMISSION_DENIED = 7;
const GRPC_UNAUTHENTICATED = 16;

/** The command an operator runs where the project may not register them itself. */
export function registrationCommand(namespace: string): string {
  const flags = BATCH_SEARCH_ATTRIBUTES.map((key) => `--name ${key.name} --type ${key.type === 'INT' ? 'Int' : 'KeywordList'}`);
  return flags.map((f) => `temporal operator search-attribute create --namespace ${namespace} ${f}`).join(' && ');
}

/**
 * Registers the batch workflows' search attributes in the namespace, once: the dev server the
 * project starts has them from its flags, but a server started without them (or a cluster
 * where we may) gets them here. Idempotent and safe when several processes race. Where we may
 * not, it logs the command to run and goes on: dispatch then fails until someone does.
 */
export async function ensureBatchSearchAttributes(connection: ConnectionLike, namespace: string, log: Log): Promise<void> {
  try {
    await registerMissing(connection, namespace, log);
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code !== GRPC_PERMISSION_DENIED && code !== GRPC_UNAUTHENTICATED) throw error;
    log('batch search attributes may be missing and are not ours to register; run this once', { command: registrationCommand(namespace) });
  }
}

async function registerMissing(connection: ConnectionLike, namespace: string, log: Log): Promise<void> {
  const missing = await missingAttributes(connection, namespace);
  if (missing.length === 0) return;
  const searchAttributes = Object.fromEntries(missing.map((key) => [key.name, indexedValueType(key)]));
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
    log('registered batch search attributes', { namespace, names: missing.map((k) => k.name) });
  } catch (error) {
    if ((error as { code?: number }).code === GRPC_ALREADY_EXISTS) return; // another process was first
    // A concurrent registration may fail in other ways; what counts is that they exist now.
    if ((await missingAttributes(connection, namespace)).length > 0) throw error;
  }
}

async function missingAttributes(connection: ConnectionLike, namespace: string) {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const registered = customAttributes ?? {};
  for (const key of BATCH_SEARCH_ATTRIBUTES) {
    const type = registered[key.name];
    // Values of the wrong type would make every dispatch fail; say so at start instead.
    if (type !== undefined && Number(type) !== indexedValueType(key)) {
      throw new Error(`search attribute ${key.name} is registered with another type than ${key.type} in namespace ${namespace}`);
    }
  }
  return BATCH_SEARCH_ATTRIBUTES.filter((key) => registered[key.name] === undefined);
}

function indexedValueType(key: (typeof BATCH_SEARCH_ATTRIBUTES)[number]): number {
  return INDEXED_VALUE_TYPE[key.type as keyof typeof INDEXED_VALUE_TYPE];
}
