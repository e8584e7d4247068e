// `fedcheck demo`: the real check, end to end, against a sample deployment on loopback, so a
// new user sees a complete report on a machine without internet.
import { runChecks } from '../cli/run.js';
import type { RunResult } from '../model/findings.js';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_CRIT_DAYS,
  DEFAULT_IMP_PORT,
  DEFAULT_WARN_DAYS,
} from '../model/options.js';
import { startLab, type LabSpec } from './lab.js';

export const DEMO_LAB: LabSpec = {
  zones: ['demo/ciscoexample.com.zone', 'demo/msexample.com.zone', 'demo/online.lync.com.zone'],
  internalZones: ['demo/internal-ciscoexample.com.zone', 'demo/internal-reverse.zone'],
  endpoints: [
    // Expressway-E peers ask for the partner's certificate: federation is mutual TLS.
    {
      name: 'EXPE1',
      certificate: { profile: 'good-rsa', names: ['sip.ciscoexample.com', 'expe1.ciscoexample.com'] },
      tls: { requestClientCert: 'optional' },
      sip: { server: 'TANDBERG/4352 (X14.3.1)' },
    },
    // Mistake 3: the second peer still has last year's certificate, about to expire.
    {
      name: 'EXPE2',
      certificate: { profile: 'expiring-warn', names: ['sip.ciscoexample.com', 'expe2.ciscoexample.com'] },
      tls: { requestClientCert: 'optional' },
      sip: { server: 'TANDBERG/4352 (X14.3.1)' },
    },
    // IM and Presence's TLS peer-authentication listener: it demands the Expressway-C's certificate.
    {
      name: 'IMP',
      port: 5062,
      certificate: { profile: 'good-rsa', names: ['imp1-public.ciscoexample.com', 'cup-pub.ciscoexample.com'] },
      tls: { requestClientCert: 'required' },
    },
    { name: 'M365', certificate: { profile: 'good-rsa', names: ['sipfed.online.lync.com'] }, sip: { server: 'RTCC/8.0.0.0 MCU' } },
  ],
};

export async function runDemo(settings: { timeoutMs: number; sipOptions: boolean }): Promise<RunResult> {
  const lab = await startLab(DEMO_LAB);
  try {
    return await runChecks({
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
    });
  } finally {
    await lab.close();
  }
}
