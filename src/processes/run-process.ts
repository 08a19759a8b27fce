import { loadConfig, type AppConfig } from '../config.js';
import { findRunningServices, type ServiceEndpoints } from '../stack/running.js';
import { consoleLog, type Log } from './log.js';

export interface Started {
  stop(): Promise<void>;
  /** Settles when the process part ends on its own (a worker's fatal error). */
  done?: Promise<void>;
}

/**
 * The shell of `npm run api|relay|worker`: find the running services, start one part, stop it
 * gracefully on SIGINT/SIGTERM. Nothing here starts a service.
 */
export async function runProcess(name: string, start: (endpoints: ServiceEndpoints, config: AppConfig, log: Log) => Promise<Started>): Promise<void> {
  const log: Log = (line, fields) => consoleLog(`[${name}] ${line}`, fields);
  let part: Started | null = null;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return; // npm and tsx may both relay one Ctrl-C
    stopping = true;
    log(`${signal}: stopping`);
    await part?.stop().catch((error: Error) => log('stop failed', { error: error.message }));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    const config = loadConfig();
    const endpoints = await findRunningServices();
    part = await start(endpoints, config, log);
  } catch (error) {
    console.error(`[${name}] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  log('started', { pid: process.pid });
  if (stopping) await part.stop();
  await part.done?.catch((error: Error) => {
    log('stopped on error', { error: error.message });
    process.exit(1);
  });
}
