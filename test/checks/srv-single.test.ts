import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/srv-single.js';
import { addressQuery, federationTarget, nxdomain, singleFinding, srv, srvName, targetObservations } from '../helpers/builders/index.js';

const SRV = srvName('ciscoexample.com');
const line = (p: number, w: number, port: number, host: string) => `${SRV}. 3600 IN SRV ${p} ${w} ${port} ${host}.`;

describe('srv-single', () => {
  it('passes with exactly one record', () => {
    const finding = singleFinding(check, federationTarget());
    expect(finding).toMatchObject({ code: 'srv-single.pass', status: 'pass', subject: SRV });
    expect(finding.data).toMatchObject({ selectedIndex: 0, reason: 'the only record' });
  });

  it('warns that Microsoft takes the lowest priority and ignores the rest, keeping the selected record', () => {
    const target = federationTarget({
      srv: [srv(20, 50, 5061, 'expe2.ciscoexample.com'), srv(10, 10, 5061, 'expe1.ciscoexample.com')],
    });
    const finding = singleFinding(check, target);
    expect(finding).toMatchObject({ code: 'srv-single.several', status: 'warn', subject: SRV });
    expect(finding.data).toMatchObject({ selectedIndex: 1, reason: 'lowest priority (10)' });
    expect(finding.remediation).toContain(`Keep only "${line(10, 10, 5061, 'expe1.ciscoexample.com')}"`);
    expect(finding.remediation).toContain(`delete "${line(20, 50, 5061, 'expe2.ciscoexample.com')}"`);
    expect(finding.remediation).toContain('including those behind expe2.ciscoexample.com');
  });

  it('names every unused record in the fix, however many', () => {
    const records = [srv(10, 10, 5061, 'sip.ciscoexample.com'), ...Array.from({ length: 9 }, (_, i) => srv(20, 10, 5061, `backup${i}.ciscoexample.com`))];
    const finding = singleFinding(check, federationTarget({ srv: records }));
    expect(finding.code).toBe('srv-single.several');
    for (let i = 0; i < 9; i++) expect(finding.remediation).toContain(line(20, 10, 5061, `backup${i}.ciscoexample.com`));
  });

  it('on equal priority, selects the highest weight', () => {
    const target = federationTarget({
      srv: [srv(10, 10, 5061, 'expe1.ciscoexample.com'), srv(10, 90, 5061, 'expe2.ciscoexample.com')],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-single.several');
    expect(finding.data).toMatchObject({ selectedIndex: 1, reason: 'lowest priority (10), then highest weight (90)' });
  });

  it('on a full tie, selects the first record returned', () => {
    const target = federationTarget({
      srv: [
        srv(10, 10, 5061, 'expe2.ciscoexample.com'),
        srv(10, 10, 5061, 'expe1.ciscoexample.com'),
        srv(10, 10, 5061, 'expe3.ciscoexample.com'),
      ],
    });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-single.several');
    expect(finding.data).toMatchObject({ selectedIndex: 0 });
    expect((finding.data as { reason: string }).reason).toContain('the first record returned');
  });

  it('lists the A records to add when the ignored targets have known addresses', () => {
    const target = federationTarget({
      srv: [srv(10, 10, 5061, 'expe1.ciscoexample.com'), srv(20, 10, 5061, 'expe2.ciscoexample.com')],
      ipv4: ['192.0.2.10'],
      dns: [addressQuery('expe2.ciscoexample.com', 'A', ['192.0.2.10', '192.0.2.11'])],
    });
    const finding = singleFinding(check, target);
    expect(finding.remediation).toContain(
      'Then add the peers the deleted records pointed at to expe1.ciscoexample.com: "expe1.ciscoexample.com. 3600 IN A 192.0.2.11".',
    );
    expect(finding.remediation).not.toContain('IN A 192.0.2.10');
  });

  it('keeps a real record rather than a "." one in the remediation', () => {
    const target = federationTarget({ srv: [srv(10, 0, 0, '.'), srv(20, 10, 5061, 'sip.ciscoexample.com')] });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-single.several');
    expect(finding.remediation).toContain(`Keep only "${line(20, 10, 5061, 'sip.ciscoexample.com')}"`);
    expect(finding.remediation).toContain(`delete "${SRV}. 3600 IN SRV 10 0 0 ."`);
  });

  it('asks a partner to consolidate their records', () => {
    const target = federationTarget({
      role: 'partner',
      srv: [srv(10, 10, 5061, 'edge1.msexample.com'), srv(10, 20, 5061, 'edge2.msexample.com')],
    });
    const finding = singleFinding(check, target);
    expect(finding).toMatchObject({ code: 'srv-single.several', subject: srvName('msexample.com') });
    expect(finding.remediation).toMatch(/^Ask the administrators of msexample\.com/);
    expect(finding.remediation).toContain('keep only "_sipfederationtls._tcp.msexample.com. 3600 IN SRV 10 20 5061 edge2.msexample.com."');
  });

  it('skips when srv-present did not pass', () => {
    const finding = singleFinding(check, targetObservations({ dns: [nxdomain(SRV, 'SRV')] }));
    expect(finding).toMatchObject({ code: 'srv-single.no-srv', status: 'skip', subject: SRV });
  });
});
