import { describe, expect, it } from 'vitest';
import { deferred } from './fake-probe.js';
import { QueueFullError, QueueWaitAbortedError, WorkGate } from '../../src/serve/admission.js';

describe('WorkGate', () => {
  it('starts queued tasks in arrival order as slots free, and reports idle when all are done', async () => {
    const gate = new WorkGate(2, 2);
    const tasks = [deferred<string>(), deferred<string>(), deferred<string>(), deferred<string>()];
    const started: number[] = [];
    const results = tasks.map((task, index) =>
      gate.run(() => {
        started.push(index);
        return task.promise;
      }),
    );
    expect(started).toEqual([0, 1]);
    expect([gate.running, gate.queued]).toEqual([2, 2]);
    await expect(gate.run(() => Promise.resolve('never'))).rejects.toBeInstanceOf(QueueFullError);
    let idle = false;
    void gate.idle().then(() => (idle = true));
    tasks[1]!.resolve('b');
    await results[1];
    expect(started).toEqual([0, 1, 2]);
    tasks[0]!.reject(new Error('a failed'));
    await expect(results[0]).rejects.toThrow('a failed');
    expect(started).toEqual([0, 1, 2, 3]);
    tasks[2]!.resolve('c');
    tasks[3]!.resolve('d');
    expect(await Promise.all(results.slice(2))).toEqual(['c', 'd']);
    await gate.idle();
    expect(idle).toBe(true);
    expect([gate.running, gate.queued]).toEqual([0, 0]);
  });

  it('drops a queued task whose signal aborts, and never starts it', async () => {
    const gate = new WorkGate(1, 1);
    const first = deferred<string>();
    const running = gate.run(() => first.promise);
    const controller = new AbortController();
    let started = false;
    const queued = gate.run(() => {
      started = true;
      return Promise.resolve('late');
    }, controller.signal);
    expect(gate.queued).toBe(1);
    controller.abort();
    await expect(queued).rejects.toBeInstanceOf(QueueWaitAbortedError);
    expect(gate.queued).toBe(0);
    first.resolve('done');
    expect(await running).toBe('done');
    expect(started).toBe(false);
  });

  it('turns a task that throws synchronously into a rejection and frees its slot', async () => {
    const gate = new WorkGate(1, 0);
    await expect(
      gate.run(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(gate.running).toBe(0);
  });
});
