// `fedcheck demo`: the real check, end to end, against the sample deployment of the demo lab on
// loopback, so a new user sees a complete report on a machine without internet.
import { startLab } from '../lab/lab.js';
import { DEMO_LAB } from '../lab/demo.js';
import type { RunResult } from '../model/findings.js';
import { runChecks, type RunControl } from '../pipeline/run.js';
import { defaultOf } from './options.js';

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
        impPort: defaultOf('impPort'),
        caFiles: ['(demo lab root CA)'],
        caCertificates: [lab.rootPem],
        timeoutMs: settings.timeoutMs,
        warnDays: defaultOf('warnDays'),
        critDays: defaultOf('critDays'),
        concurrency: defaultOf('concurrency'),
        sipOptions: settings.sipOptions,
        revocation: true,
        strict: false,
        checkOverrides: {},
      },
      control,
    );
  } finally {
    await lab.close();
  }
}
