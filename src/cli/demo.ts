// `fedcheck demo`: the real check, end to end, against the sample deployment of the demo lab on
// loopback, so a new user sees a complete report on a machine without internet.
import { startLab } from '../lab/lab.js';
import { DEMO_LAB } from '../lab/demo.js';
import type { RunResult } from '../model/findings.js';
import { runChecks, type RunControl } from '../pipeline/run.js';
import { DEFAULT_CONCURRENCY, DEFAULT_CRIT_DAYS, DEFAULT_IMP_PORT, DEFAULT_WARN_DAYS } from '../model/options.js';

export async function runDemo(settings: { timeoutMs: number; sipOptions: boolean }, control: RunControl = {}): Promise<RunResult> {
  const lab = await startLab(DEMO_LAB);
  try {
    return await runChecks(
      {
        domains: ['ciscoexample.com', 'exp.ciscoexample.com'],
        partners: ['msexample.com'],
        resolvers: [lab.resolver],
        internalResolvers: lab.internalDns ? [{ host: lab.internalDns.host, port: lab.internalDns.port }] : [],
        impFqdn: 'imp1-public.ciscoexample.com',
        impPort: DEFAULT_IMP_PORT,
        caFiles: ['(demo lab root CA)'],
        caCertificates: [lab.rootPem],
        timeoutMs: settings.timeoutMs,
        warnDays: DEFAULT_WARN_DAYS,
        critDays: DEFAULT_CRIT_DAYS,
        concurrency: DEFAULT_CONCURRENCY,
        sipOptions: settings.sipOptions,
        strict: false,
        checkOverrides: {},
      },
      control,
    );
  } finally {
    await lab.close();
  }
}
