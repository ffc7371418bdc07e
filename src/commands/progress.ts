// A one-line progress display for a terminal: epoch, percentage, the last logged loss and time left, redrawn at most ten
// times a second on stderr. Only used when stderr is a terminal; logs and pipes never see it.

export interface Progress {
  update(epoch: number, epochs: number, trainLoss: number): void;
  done(): void;
}

export function progressReporter(name: string, write: (text: string) => void): Progress {
  const t0 = performance.now();
  let last = 0;
  let drawn = false;
  return {
    update(epoch, epochs, trainLoss) {
      const now = performance.now();
      if (now - last < 100 && epoch < epochs) return;
      last = now;
      const elapsed = (now - t0) / 1000;
      const left = epoch > 0 ? (elapsed / epoch) * (epochs - epoch) : 0;
      const pct = epochs > 0 ? Math.floor((100 * epoch) / epochs) : 100;
      write(`\r\x1b[K${name}: epoch ${epoch}/${epochs} (${pct}%), train_loss ${trainLoss.toPrecision(4)}, ${left.toFixed(1)} s left`);
      drawn = true;
    },
    done() {
      if (drawn) write('\r\x1b[K');
      drawn = false;
    },
  };
}
