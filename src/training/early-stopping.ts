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

  /**
   * Puts back a state saveState gave at the end of `epoch`. A state no run reaches is a RangeError (a damaged
   * checkpoint): epochs waited not a whole number below patience (at patience the run had stopped), a best epoch
   * after `epoch`.
   */
  loadState(state: EarlyStoppingState, epoch = Infinity): void {
    const { best, bestEpoch, wait } = state;
    if (!(Number.isSafeInteger(wait) && wait >= 0 && wait < this.patience)) throw new RangeError(`loadState: expected the epochs waited to be a whole number from 0 to ${this.patience - 1} (patience ${this.patience}), found ${wait}`);
    if (!(Number.isSafeInteger(bestEpoch) && bestEpoch >= 0 && bestEpoch <= epoch)) throw new RangeError(`loadState: expected the best epoch to be a whole number from 0 to ${epoch} (the checkpoint's epoch), found ${bestEpoch}`);
    if (typeof best !== 'number' || Number.isNaN(best)) throw new RangeError(`loadState: expected the best value to be a number, found ${best}`);
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
