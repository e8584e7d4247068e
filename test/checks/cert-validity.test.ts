import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/cert-validity.js';
import { federationTarget, singleFinding } from './observations.js';
import {
  INTERMEDIATE_NAME,
  PARTNER_DOMAIN,
  ROOT_NAME,
  SUBJECT,
  daysFromNow,
  intermediateCertificate,
  judgeOne,
  leafCertificate,
  partnerProbe,
  rootCertificate,
  tlsProbe,
  unconnectedProbe,
} from './tls-observations.js';

const LEAF = 'CN=sip.ciscoexample.com, O=Cisco Example';

function withLeafExpiring(days: number) {
  return tlsProbe({ chain: [leafCertificate({ notAfter: daysFromNow(days) }), intermediateCertificate()] });
}

describe('cert-validity', () => {
  it('passes a valid chain and reports the first expiry with days left per element', () => {
    const finding = judgeOne(check, tlsProbe());
    expect(finding).toMatchObject({ check: 'cert-validity', status: 'pass', subject: SUBJECT });
    expect(finding.message).toContain(`first to expire: the leaf ${LEAF} expires on 2026-01-01T00:00:00Z, in 213 days`);
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
    expect(finding.status).toBe('warn');
    expect(finding.message).toContain(`the leaf ${LEAF} expires on`);
    expect(finding.message).toContain('in 20 days');
    expect(finding.message).toContain('warning within 30 days, failure within 14 days');
    expect(finding.remediation).toContain('Renew the Expressway-E certificate for sip.ciscoexample.com');
    expect(finding.data).toMatchObject({ daysLeft: 20 });
  });

  it('fails within --crit-days', () => {
    const finding = judgeOne(check, withLeafExpiring(10.5));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('in 10 days');
    expect(finding.data).toMatchObject({ daysLeft: 10 });
  });

  it('puts the thresholds on whole days: 30 days left passes, 29 warns, 14 warns, 13 fails', () => {
    expect(judgeOne(check, withLeafExpiring(30)).status).toBe('pass');
    expect(judgeOne(check, withLeafExpiring(29.99)).status).toBe('warn');
    expect(judgeOne(check, withLeafExpiring(14)).status).toBe('warn');
    expect(judgeOne(check, withLeafExpiring(13.99)).status).toBe('fail');
  });

  it('states the whole-days rule it applies, and holds it at both thresholds of the run', () => {
    expect(check.meta.rule).toContain('fewer than --warn-days (30) whole days left is a warning');
    expect(check.meta.rule).toContain('fewer than --crit-days (14) a failure');
    expect(check.meta.rule).toContain('exactly 30 full days left still passes, exactly 14 still only warns');
    const thresholds = { warnDays: 60, critDays: 7 };
    expect(judgeOne(check, withLeafExpiring(60), thresholds).status).toBe('pass');
    expect(judgeOne(check, withLeafExpiring(60 - 1 / 86_400), thresholds).status).toBe('warn');
    expect(judgeOne(check, withLeafExpiring(7), thresholds).status).toBe('warn');
    expect(judgeOne(check, withLeafExpiring(7 - 1 / 86_400), thresholds).status).toBe('fail');
    expect(judgeOne(check, withLeafExpiring(30)).data).toMatchObject({ daysLeft: 30 });
  });

  it('follows the thresholds of the run', () => {
    expect(judgeOne(check, withLeafExpiring(45), { warnDays: 60, critDays: 7 }).status).toBe('warn');
    expect(judgeOne(check, withLeafExpiring(10), { warnDays: 60, critDays: 7 }).status).toBe('warn');
    expect(judgeOne(check, withLeafExpiring(5), { warnDays: 60, critDays: 7 }).status).toBe('fail');
  });

  it('says "within a day" on the last day', () => {
    const finding = judgeOne(check, withLeafExpiring(0.5));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain('within a day');
    expect(finding.data).toMatchObject({ daysLeft: 0 });
  });

  it('fails an expired leaf, with the date and how long ago', () => {
    const finding = judgeOne(check, withLeafExpiring(-3.5));
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`the leaf ${LEAF} expired on ${daysFromNow(-3.5).replace('.000Z', 'Z')} (3 days ago)`);
    expect(finding.data).toMatchObject({ daysLeft: -4 });
  });

  it('fails a certificate that is not yet valid', () => {
    const probe = tlsProbe({ chain: [leafCertificate({ notBefore: daysFromNow(2.5) }), intermediateCertificate()] });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`is not valid until ${daysFromNow(2.5).replace('.000Z', 'Z')} (in 3 days)`);
    expect(finding.remediation).toContain('clock');
  });

  it('fails an expired intermediate even when the leaf is fine, naming it and the CA fix', () => {
    const probe = tlsProbe({ chain: [leafCertificate(), intermediateCertificate({ notAfter: daysFromNow(-1.5) })] });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toContain(`the intermediate ${INTERMEDIATE_NAME} expired on`);
    expect(finding.message).not.toContain('the leaf');
    expect(finding.remediation).toContain("CA's current one");
    expect(finding.data).toMatchObject({ daysLeft: -2 });
  });

  it('names a root sent in the chain as the root, and lists every problem, worst first', () => {
    const probe = tlsProbe({
      chain: [leafCertificate({ notAfter: daysFromNow(25) }), intermediateCertificate(), rootCertificate({ notAfter: daysFromNow(-10) })],
    });
    const finding = judgeOne(check, probe);
    expect(finding.status).toBe('fail');
    expect(finding.message).toMatch(new RegExp(`the root ${ROOT_NAME} expired on .*; the leaf ${LEAF} expires on`));
    expect(finding.data).toMatchObject({ daysLeft: -10, chain: [{ status: 'warn' }, { status: 'pass' }, { element: 'root', status: 'fail' }] });
  });

  it('reports an error for a date it cannot read', () => {
    const finding = judgeOne(check, tlsProbe({ chain: [leafCertificate({ notAfter: 'not a date' })] }));
    expect(finding.status).toBe('error');
    expect(finding.message).toContain('could not be read');
    expect(finding.data).toMatchObject({ chain: [{ daysLeft: null, status: 'error' }] });
  });

  it('asks the partner to renew', () => {
    const probe = partnerProbe({ chain: [leafCertificate({ notAfter: daysFromNow(5) })] });
    const finding = judgeOne(check, probe, { role: 'partner' });
    expect(finding.status).toBe('fail');
    expect(finding.remediation).toContain(`Ask the administrators of ${PARTNER_DOMAIN}`);
    expect(finding.remediation).toContain('renew their edge certificate');
  });

  it('skips when no certificate was obtained', () => {
    const finding = judgeOne(check, unconnectedProbe('refused'));
    expect(finding.status).toBe('skip');
    expect(finding.message).toBe(`The TCP connection to ${SUBJECT} was refused, so the certificate could not be examined.`);
  });

  it('skips without federation peers', () => {
    expect(singleFinding(check, federationTarget({ ipv4: [] })).status).toBe('skip');
  });
});
