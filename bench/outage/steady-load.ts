import { runOpenLoop, type LoadOutcome, type LoadTarget } from '../lag/load.js';

/** bench:lag's open-loop order load (place, pay, ship, note), in 5 s rounds until stopped. */
export function steadyLoad(target: LoadTarget, rate: number): { stop(): Promise<LoadOutcome[]> } {
  const rounds: LoadOutcome[] = [];
  let running = true;
  const done = (async () => {
    while (running) rounds.push(await runOpenLoop(target, rate, 5_000));
  })();
  return {
    async stop() {
      running = false;
      await done;
      return rounds;
    },
  };
}
