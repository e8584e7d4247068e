// What the exporter tests put in place of the real checks: a probe that records its requests and
// answers when the test says so, and a plain HTTP client that opens a fresh connection per request.
import http from 'node:http';
import type { RunResult } from '../../src/model/findings.js';
import type { ExporterModule, ProbeRequest } from '../../src/serve/server.js';
import { cleanPassTarget, runResult } from '../report/results.js';

/** A passing one-peer result for `domain`, from the report tests' builders. */
export function passingResult(domain: string): RunResult {
  const target = cleanPassTarget();
  return runResult([{ ...target, domain, observations: { ...target.observations, domain } }]);
}

interface Call {
  request: ProbeRequest<ExporterModule>;
  resolve: (result: RunResult) => void;
  reject: (error: Error) => void;
}

/**
 * A probe under the test's control. By default each call answers at once with a passing result
 * for its target; `answer` chooses another result; 'manual' makes each call wait until the test
 * releases or fails it.
 */
export class FakeProbe {
  readonly calls: Call[] = [];

  constructor(private readonly answer: ((request: ProbeRequest<ExporterModule>) => RunResult) | 'manual' = (request) => passingResult(request.target)) {}

  readonly probe = (request: ProbeRequest<ExporterModule>): Promise<RunResult> =>
    new Promise((resolve, reject) => {
      this.calls.push({ request, resolve, reject });
      if (this.answer !== 'manual') resolve(this.answer(request));
    });

  get targets(): string[] {
    return this.calls.map((call) => call.request.target);
  }

  /** Answers the oldest unanswered call(s) of `target` with a passing result. */
  release(target: string): void {
    for (const call of this.calls.filter((candidate) => candidate.request.target === target)) call.resolve(passingResult(target));
  }

  fail(target: string, error: Error): void {
    for (const call of this.calls.filter((candidate) => candidate.request.target === target)) call.reject(error);
  }
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on its own connection (no keep-alive pool shared between tests). */
export function request(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** A promise with its resolve and reject in hand. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
