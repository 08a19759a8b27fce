import os from 'node:os';

/** What a reader needs to judge the numbers: the box they came from and how busy it was. */
export function machineFacts(): string[] {
  const cpus = os.cpus();
  const [one, five] = os.loadavg();
  return [
    `cores: ${os.availableParallelism()} (${cpus[0]?.model.trim() ?? 'unknown cpu'})`,
    `memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()}, node ${process.version}`,
    `load average before the run: ${one?.toFixed(2)} (1 min), ${five?.toFixed(2)} (5 min)`,
    'every service (PostgreSQL, Temporal, OpenSearch), the API and the load generator share these cores',
  ];
}
