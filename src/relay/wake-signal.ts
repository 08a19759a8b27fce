/** A sleep that ends early when `wake()` is called: the relay's NOTIFY hook. */
export class WakeSignal {
  private pending = false;
  private resolveSleep: (() => void) | null = null;

  wake(): void {
    this.pending = true;
    this.resolveSleep?.();
  }

  async sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.resolveSleep = null;
        resolve();
      }
      this.resolveSleep = done;
    });
    this.pending = false;
  }
}
