// Bounded work for the exporter: at most `concurrency` probes run, at most `queueLength` wait,
// and anything beyond is turned away at once (503) instead of piling up memory and sockets.

export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

/** The caller's deadline passed while its task was still waiting for a slot. */
export class QueueWaitAbortedError extends Error {
  override name = 'QueueWaitAbortedError';
}

export class WorkGate {
  #running = 0;
  /** Starters of the tasks waiting for a slot, oldest first. */
  readonly #waiting: (() => void)[] = [];
  readonly #idleWaiters: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly queueLength: number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be a whole number of at least 1');
    if (!Number.isInteger(queueLength) || queueLength < 0) throw new RangeError('queueLength must be a whole number of at least 0');
  }

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  /**
   * Runs `task` when a slot is free. Rejects with QueueFullError at once when every slot and
   * queue place is taken, and with QueueWaitAbortedError when `signal` aborts while waiting; a
   * task that has started always runs to its end and holds its slot until then.
   */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#running < this.concurrency) return this.#start(task);
    if (this.#waiting.length >= this.queueLength) {
      return Promise.reject(new QueueFullError(`${this.concurrency} probes running and ${this.queueLength} waiting`));
    }
    if (signal?.aborted) return Promise.reject(new QueueWaitAbortedError('the deadline passed before the probe could start'));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#waiting.indexOf(start);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(new QueueWaitAbortedError('the deadline passed while the probe waited for a free slot'));
        this.#notifyIdle();
      };
      const start = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.#start(task).then(resolve, reject);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(start);
    });
  }

  /** Resolves when nothing runs or waits. */
  idle(): Promise<void> {
    if (this.#running === 0 && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #start<T>(task: () => Promise<T>): Promise<T> {
    this.#running++;
    const finish = (): void => {
      this.#running--;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#notifyIdle();
    };
    let started: Promise<T>;
    try {
      started = task();
    } catch (error) {
      started = Promise.reject(error);
    }
    return started.finally(finish);
  }

  #notifyIdle(): void {
    if (this.#running > 0 || this.#waiting.length > 0) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
