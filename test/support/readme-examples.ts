import { readFileSync } from 'node:fs';

/** One `curl` call from the README's shell examples. */
export interface CurlExample {
  method: string;
  /** The URL path, placeholders such as `<orderId>` kept. */
  path: string;
  headers: string[];
  body: string | undefined;
}

/** Shell words of one command from `start`: quotes may span lines, `\\` joins lines, a bare newline ends it. */
function shellWords(text: string, start: number): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && text[i + 1] === '\n') { i++; continue; }
    if (c === '\n' || c === '#') break;
    if (c === ' ' || c === '\t') { if (word !== null) words.push(word); word = null; continue; }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
      continue;
    }
    word = (word ?? '') + c;
  }
  if (word !== null) words.push(word);
  return words;
}

function toExample(words: string[]): CurlExample {
  const valueOf = (...flags: string[]) => {
    const at = words.findIndex((w) => flags.includes(w));
    return at < 0 ? undefined : words[at + 1];
  };
  const body = valueOf('-d', '--data');
  const headers = words.flatMap((w, i) => (words[i - 1] === '-H' ? [w] : []));
  const url = words.find((w) => /^https?:\/\//.test(w))!;
  const method = valueOf('-X') ?? (body === undefined ? 'GET' : 'POST');
  return { method, path: url.replace(/^https?:\/\/[^/]+/, ''), headers, body };
}

/** Every curl call in the README's ```sh blocks. */
export function readmeCurlExamples(readmePath: string): CurlExample[] {
  const readme = readFileSync(readmePath, 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((block) =>
    [...block.matchAll(/^\s*curl\s/gm)].map((m) => toExample(shellWords(block, m.index!))));
}
