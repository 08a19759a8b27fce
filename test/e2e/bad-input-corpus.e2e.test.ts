import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus, type CorpusEntry, type Placeholders } from '../bad-input/corpus.js';
import { problemViolations, statusMatches } from '../bad-input/problem-check.js';
import { createPlaceholders } from '../bad-input/placeholders.js';
import { sendEntry } from '../bad-input/send.js';
import { expectStackHealthy, writtenState } from '../bad-input/stack-health.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

const corpus = loadCorpus();
let app: TestRuntime;
let values: Placeholders;

beforeAll(async () => {
  app = await startTestRuntime();
  values = await createPlaceholders(app.url);
});
afterAll(async () => {
  await app?.stop();
});

const label = (entry: CorpusEntry) => `${entry.where} ${entry.name}`;

describe('the bad-request corpus', () => {
  it.each(corpus.map((entry) => [label(entry), entry] as const))('%s', async (_label, entry) => {
    const before = await writtenState(app.db);
    const response = await sendEntry(app.url, entry, values);
    const seen = `${response.status} ${response.headers['content-type'] ?? ''} ${response.text.slice(0, 300)}`;
    expect(statusMatches(response.status, entry.expect), `expected ${entry.expect}, got ${seen}`).toBe(true);
    expect(problemViolations(response, entry.method), seen).toEqual([]);
    if (entry.mentions) expect(response.text, 'the problem names what is wrong').toMatch(new RegExp(entry.mentions));
    expect(await writtenState(app.db), 'a refused request changes nothing').toEqual(before);
  });

  it('leaves the stack healthy: /health answers and a normal order is placed and projected', async () => {
    await expectStackHealthy(app.url);
  });
});
