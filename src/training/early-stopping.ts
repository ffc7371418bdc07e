// Early stopping with Keras's rule (keras.callbacks.EarlyStopping): an epoch improves when its monitored value
// beats the best so far by more than min_delta (greater for accuracy and R², smaller for losses); training
// stops once `patience` epochs in a row have not improved. Keeping or restoring weights is the caller's.

import { maximised } from '../metrics.js';

export type StopVerdict = 'improved' | 'waiting' | 'stop';

export interface EarlyStoppingState {
  best: number;
  bestEpoch: number;
  wait: number;
}

export class EarlyStopping {
  /** The best value so far, and the epoch it was reached at (0: none yet). */
  best: number;
  bestEpoch = 0;
  private wait = 0;
  private readonly max: boolean;

  constructor(
    readonly monitor: string,
    private readonly patience: number,
    private readonly minDelta: number,
  ) {
    this.max = maximised(monitor);
    this.best = this.max ? -Infinity : Infinity;
  }

  /** The best value, its epoch and the epochs waited since (for a checkpoint). */
  saveState(): EarlyStoppingState {
    return { best: this.best, bestEpoch: this.bestEpoch, wait: this.wait };
  }

  /** Puts back a state saveState gave. */
  loadState(state: EarlyStoppingState): void {
    ({ best: this.best, bestEpoch: this.bestEpoch, wait: this.wait } = state);
  }

  /** Takes the monitored value at the end of `epoch`; says whether it improved, or training must stop. */
  update(epoch: number, value: number): StopVerdict {
    // As Keras: max: value − min_delta > best;  min: value + min_delta < best  (NaN never improves)
    if (this.max ? value - this.minDelta > this.best : value + this.minDelta < this.best) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      return 'improved';
    }
    this.wait++;
    return this.wait >= this.patience ? 'stop' : 'waiting';
  }
}
