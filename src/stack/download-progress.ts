// A first start downloads about 100 MB; without a sign of life it looks hung.
// On a terminal one status line is rewritten in place (bytes and percent); in
// a log file or CI output a line every few seconds is enough.
import type { Log } from './service.js';

export interface ProgressOptions {
  /** What is being downloaded, e.g. "OpenSearch 2.19.6". */
  label: string;
  /** Where whole lines go: the start, periodic lines off a terminal, the final line. */
  log: Log;
  /** A terminal to rewrite one status line on; absent when output is not a TTY. */
  terminal?: { write(text: string): unknown } | undefined;
  /** Least time between two progress lines when not on a terminal. */
  intervalMs?: number;
  now?: () => number;
}

export interface DownloadProgress {
  /** Bytes received so far, and the size once known. */
  update(receivedBytes: number, totalBytes?: number): void;
  /** Clears the status line and logs size and duration. */
  finish(): void;
  /** Clears the status line only (the download failed or never started). */
  stop(): void;
}

const TERMINAL_REFRESH_MS = 100;
const DEFAULT_INTERVAL_MS = 5_000;

export function downloadProgress(options: ProgressOptions): DownloadProgress {
  const { label, log, terminal, now = Date.now } = options;
  const interval = terminal ? TERMINAL_REFRESH_MS : (options.intervalMs ?? DEFAULT_INTERVAL_MS);
  const started = now();
  let lastShown = started;
  let received = 0;
  let total: number | undefined;
  let shownOnTerminal = false;
  let ended = false;
  log(`downloading ${label}`);
  const stop = (): void => {
    if (shownOnTerminal) terminal?.write('\r\x1b[K');
    shownOnTerminal = false;
    ended = true;
  };
  return {
    update(receivedBytes, totalBytes) {
      if (ended) return; // a late poll must not redraw a finished line
      received = receivedBytes;
      total = totalBytes ?? total;
      if (now() - lastShown < interval) return;
      lastShown = now();
      const status = `${label}: ${describeProgress(received, total)}`;
      if (!terminal) return log(status);
      terminal.write(`\r${status}\x1b[K`);
      shownOnTerminal = true;
    },
    stop,
    finish() {
      stop();
      const size = received > 0 ? `${megabytes(received)} in ` : '';
      log(`downloaded ${label}: ${size}${((now() - started) / 1000).toFixed(1)} s`);
    },
  };
}

/** "12.3 of 56.4 MB (21%)", or "12.3 MB" while the size is unknown. */
export function describeProgress(received: number, totalBytes: number | undefined): string {
  if (!totalBytes) return megabytes(received);
  const percent = Math.min(100, Math.floor((received / totalBytes) * 100));
  return `${(received / 1e6).toFixed(1)} of ${megabytes(totalBytes)} (${percent}%)`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
