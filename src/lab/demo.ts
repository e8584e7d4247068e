// The sample deployment of `fedcheck demo` (and of `node dist/lab.js demo`): its zones and
// endpoints, each with the mistakes the demo shows. The CLI runs the check against it.
import type { LabSpec } from './lab.js';

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
    // Mistake 3: the second peer still has last year's certificate, about to expire, and last
    // year's cipher list: of Microsoft's suites only TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA.
    {
      name: 'EXPE2',
      certificate: { profile: 'expiring-warn', names: ['sip.ciscoexample.com', 'expe2.ciscoexample.com'] },
      tls: { requestClientCert: 'optional', ciphers: 'ECDHE-RSA-AES128-SHA' },
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
