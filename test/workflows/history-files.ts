import { readdirSync, readFileSync } from 'node:fs';
import proto, { type temporal as protoTypes } from '@temporalio/proto';

// A CommonJS package whose names Node's ESM loader cannot see: take them from its default export.
const { temporal } = proto;

type History = protoTypes.api.history.v1.History;

/** Recorded histories of the workflows the projection worker runs, one JSON file each. */
export const historiesDir = new URL('./histories/', import.meta.url);

/**
 * Failure stack traces name the recording machine's paths and play no part in a replay,
 * so they are left out of the files.
 */
function withoutStackTraces(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutStackTraces);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'stackTrace').map(([key, child]) => [key, withoutStackTraces(child)]));
}

/**
 * The file format is the proto object with longs, enums and bytes as strings, so the files
 * read and diff as plain JSON. (The SDK's `historyFromJSON` needs a single protobufjs copy,
 * which this dependency tree does not guarantee; `fromObject` needs none.)
 */
export function historyToFileText(history: protoTypes.api.history.v1.IHistory): string {
  const object = temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), {
    longs: String,
    enums: String,
    bytes: String,
  });
  return `${JSON.stringify(withoutStackTraces(object), null, 1)}\n`;
}

export function readHistoryText(text: string): History {
  return temporal.api.history.v1.History.fromObject(JSON.parse(text));
}

export function readHistoryFile(file: URL): History {
  return readHistoryText(readFileSync(file, 'utf8'));
}

export function recordedHistoryFiles(): Array<{ name: string; file: URL }> {
  return readdirSync(historiesDir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name: name.replace(/\.json$/, ''), file: new URL(name, historiesDir) }));
}

/** Every payload (inputs, results, failure details) of a history, decoded from JSON. */
export function decodedPayloads(history: History): unknown[] {
  const found: unknown[] = [];
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    if (value instanceof Uint8Array) return;
    if (isJsonPayload(value)) found.push(JSON.parse(Buffer.from(value.data, 'base64').toString('utf8')));
    for (const child of Object.values(value)) visit(child);
  };
  visit(history.toJSON());
  return found;
}

function isJsonPayload(value: object): value is { data: string } {
  const { metadata, data } = value as { metadata?: { encoding?: unknown }; data?: unknown };
  return typeof data === 'string' && typeof metadata?.encoding === 'string' && Buffer.from(metadata.encoding, 'base64').toString() === 'json/plain';
}

/** Keys that would carry personal data (see the order's `customer`); batch workflows carry ids only. */
const personalKeys = new Set(['customer', 'email', 'phone', 'name', 'address']);

/** The personal-data keys found anywhere in a decoded payload. */
export function personalDataKeys(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [...(personalKeys.has(key) ? [key] : []), ...personalDataKeys(child)]);
}
