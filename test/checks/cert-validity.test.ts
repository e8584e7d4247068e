import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/cert-validity.js';
import { federationTarget, singleFinding } from '../helpers/builders/index.js';
import {
  INTERMEDIATE_NAME,
  PARTNER_DOMAIN,
  SUBJECT,
  daysFromNow,
  intermediateCertificate,
  judgeOne,
  leafCertificate,
  partnerProbe,
  rootCertificate,
  tlsProbe,
  unconnectedProbe,
} from '../helpers/builders/index.js';

const LEAF = 'CN=sip.ciscoexample.com, O=Cisco Example';

function withLeafExpiring(days: number) {
  return tlsProbe({ chain: [leafCertificate({ notAfter: daysFromNow(days) }), intermediateCertificate()] });
}

describe('cert-validity', () => {
  it('passes a valid chain and reports the first expiry with days left per element', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'cert-validity', code: 'cert-validity.pass', status: 'pass', subject: SUBJECT });
    expect(finding.data).toMatchObject({
      daysLeft: 213,
      chain: [
        { element: 'leaf', subject: LEAF, daysLeft: 213, status: 'pass' },
        { element: 'intermediate', subject: INTERMEDIATE_NAME, daysLeft: 1674, status: 'pass' },
      ],
    });
  });

  it('warns within --warn-days', () => {
    const finding = judgeOne(check, withLeafExpiring(20.5));
    expect(finding.code).toBe('cert-validity.expiring');
    expect(finding.remediation).toContain('Renew the Expressway-E certificate for sip.ciscoexample.com');
    expect(finding.data).toMatchObject({ daysLeft: 20 });
  });

  it('fails within --crit-days', () => {
    const finding = judgeOne(check, withLeafExpiring(10.5));
    expect(finding.code).toBe('cert-validity.expiring-critical');
    expect(finding.data).toMatchObject({ daysLeft: 10 });
  });

  it('puts the thresholds on whole days: 30 days left passes, 29 warns, 14 warns, 13 fails', () => {
    expect(judgeOne(check, withLeafExpiring(30)).code).toBe('cert-validity.pass');
    expect(judgeOne(check, withLeafExpiring(29.99)).code).toBe('cert-validity.expiring');
    expect(judgeOne(check, withLeafExpiring(14)).code).toBe('cert-validity.expiring');
    expect(judgeOne(check, withLeafExpiring(13.99)).code).toBe('cert-validity.expiring-critical');
  });

  it('states the whole-days rule it applies, and holds it at both thresholds of the run', () => {
    expect(check.meta.rule).toContain('fewer than --warn-days (30) whole days left is a warning');
    expect(check.meta.rule).toContain('fewer than --crit-days (14) a failure');
    expect(check.meta.rule).toContain('exactly 30 full days left still passes, exactly 14 still only warns');
    const thresholds = { warnDays: 60, critDays: 7 };
    expect(judgeOne(check, withLeafExpiring(60), thresholds).code).toBe('cert-validity.pass');
    expect(judgeOne(check, withLeafExpiring(60 - 1 / 86_400), thresholds).code).toBe('cert-validity.expiring');
    expect(judgeOne(check, withLeafExpiring(7), thresholds).code).toBe('cert-validity.expiring');
    expect(judgeOne(check, withLeafExpiring(7 - 1 / 86_400), thresholds).code).toBe('cert-validity.expiring-critical');
    expect(judgeOne(check, withLeafExpiring(30)).data).toMatchObject({ daysLeft: 30 });
  });

  it('follows the thresholds of the run', () => {
    expect(judgeOne(check, withLeafExpiring(45), { warnDays: 60, critDays: 7 }).code).toBe('cert-validity.expiring');
    expect(judgeOne(check, withLeafExpiring(10), { warnDays: 60, critDays: 7 }).code).toBe('cert-validity.expiring');
    expect(judgeOne(check, withLeafExpiring(5), { warnDays: 60, critDays: 7 }).code).toBe('cert-validity.expiring-critical');
  });

  it('says "within a day" on the last day', () => {
    const finding = judgeOne(check, withLeafExpiring(0.5));
    expect(finding.code).toBe('cert-validity.expiring-critical');
    expect(finding.data).toMatchObject({ daysLeft: 0 });
  });

  it('fails an expired leaf, with the date and how long ago', () => {
    const finding = judgeOne(check, withLeafExpiring(-3.5));
    expect(finding.code).toBe('cert-validity.expired');
    expect(finding.data).toMatchObject({ daysLeft: -4 });
  });

  it('fails a certificate that is not yet valid', () => {
    const probe = tlsProbe({ chain: [leafCertificate({ notBefore: daysFromNow(2.5) }), intermediateCertificate()] });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('cert-validity.not-yet-valid');
    expect(finding.remediation).toContain('clock');
  });

  it('fails an expired intermediate even when the leaf is fine, naming it and the CA fix', () => {
    const probe = tlsProbe({ chain: [leafCertificate(), intermediateCertificate({ notAfter: daysFromNow(-1.5) })] });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('cert-validity.expired');
    expect(finding.remediation).toContain("CA's current one");
    expect(finding.data).toMatchObject({ daysLeft: -2 });
  });

  it('names a root sent in the chain as the root, and lists every problem, worst first', () => {
    const probe = tlsProbe({
      chain: [leafCertificate({ notAfter: daysFromNow(25) }), intermediateCertificate(), rootCertificate({ notAfter: daysFromNow(-10) })],
    });
    const finding = judgeOne(check, probe);
    expect(finding.code).toBe('cert-validity.expired');
    expect(finding.data).toMatchObject({ daysLeft: -10, chain: [{ status: 'warn' }, { status: 'pass' }, { element: 'root', status: 'fail' }] });
  });

  it('reports an error for a date it cannot read', () => {
    const finding = judgeOne(check, tlsProbe({ chain: [leafCertificate({ notAfter: 'not a date' })] }));
    expect(finding.code).toBe('cert-validity.unreadable-date');
    expect(finding.data).toMatchObject({ chain: [{ daysLeft: null, status: 'error' }] });
  });

  it('asks the partner to renew', () => {
    const probe = partnerProbe({ chain: [leafCertificate({ notAfter: daysFromNow(5) })] });
    const finding = judgeOne(check, probe, { role: 'partner' });
    expect(finding.code).toBe('cert-validity.expiring-critical');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
    expect(finding.remediation).toContain('renew their edge certificate');
  });

  it('skips when no certificate was obtained', () => {
    const finding = judgeOne(check, unconnectedProbe('refused'));
    expect(finding.code).toBe('cert-validity.no-certificate');
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).code).toBe('cert-validity.no-peers');
  });
});
