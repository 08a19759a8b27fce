/**
 * A sleep that ends early when `wake()` is called: the relay's NOTIFY hook. A wake that
 * arrives while nobody sleeps is remembered, so the next sleep returns at once.
 */
export class WakeSignal {
  private pending = false;
  private endSleep: (() => void) | null = null;

  wake(): void {
    this.pending = true;
    this.endSleep?.();
  }

  async sleep(ms: number): Promise<void> {
    if (!this.pending) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.endSleep = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.endSleep = null;
    }
    this.pending = false;
  }
}
