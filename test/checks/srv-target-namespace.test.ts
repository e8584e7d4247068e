import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/srv-target-namespace.js';
import { federationTarget, nxdomain, singleFinding, srv, srvName, targetObservations } from '../helpers/builders/index.js';

const SRV = srvName('ciscoexample.com');

describe('srv-target-namespace', () => {
  it('passes for a host directly in the SIP domain', () => {
    const finding = singleFinding(check, federationTarget());
    expect(finding).toMatchObject({ code: 'srv-target-namespace.pass', status: 'pass', subject: 'sip.ciscoexample.com' });
    expect(finding.data).toMatchObject({ position: 'child' });
  });

  it('passes for the domain itself', () => {
    const finding = singleFinding(check, federationTarget({ srv: [srv(10, 10, 5061, 'ciscoexample.com')] }));
    expect(finding).toMatchObject({ code: 'srv-target-namespace.apex', status: 'pass', subject: 'ciscoexample.com' });
    expect(finding.data).toMatchObject({ position: 'apex' });
  });

  it('fails outside the namespace (the seed example), with the records to move to', () => {
    const target = federationTarget({
      domain: 'exp.ciscoexample.com',
      srv: [srv(10, 10, 5061, 'sip.ciscoexample.com')],
      ipv4: ['192.0.2.10', '192.0.2.11'],
      ipv6: ['2001:db8::10'],
    });
    const finding = singleFinding(check, target);
    expect(finding).toMatchObject({ code: 'srv-target-namespace.outside', status: 'fail', subject: 'sip.ciscoexample.com' });
    expect(finding.remediation).toBe(
      'Create "sip.exp.ciscoexample.com. 3600 IN A 192.0.2.10", "sip.exp.ciscoexample.com. 3600 IN A 192.0.2.11" and ' +
        '"sip.exp.ciscoexample.com. 3600 IN AAAA 2001:db8::10", then change ' +
        '"_sipfederationtls._tcp.exp.ciscoexample.com. 3600 IN SRV 10 10 5061 sip.ciscoexample.com." to ' +
        '"_sipfederationtls._tcp.exp.ciscoexample.com. 3600 IN SRV 10 10 5061 sip.exp.ciscoexample.com.". ' +
        'The Expressway-E certificate must carry sip.exp.ciscoexample.com in its subject alternative names.',
    );
  });

  it('fails for an unrelated domain and does not mistake a suffix for a parent domain', () => {
    const finding = singleFinding(check, federationTarget({ srv: [srv(10, 10, 5061, 'sip.notciscoexample.com')] }));
    expect(finding.code).toBe('srv-target-namespace.outside');
    expect(finding.data).toMatchObject({ position: 'outside' });
  });

  it('describes the records to create when the target addresses are unknown', () => {
    const target = targetObservations({ dns: [federationTarget({ srv: [srv(10, 10, 5061, 'edge.example.net')] }).dns[0]!] });
    const finding = singleFinding(check, target);
    expect(finding.code).toBe('srv-target-namespace.outside');
    expect(finding.remediation).toContain("Create one A/AAAA record of edge.ciscoexample.com for each Expressway-E peer's public address");
  });

  it('warns for a deeper subdomain, citing Cisco TAC 212383', () => {
    const finding = singleFinding(check, federationTarget({ srv: [srv(10, 10, 5061, 'sip.edge.ciscoexample.com')] }));
    expect(finding).toMatchObject({ code: 'srv-target-namespace.deeper', status: 'warn', subject: 'sip.edge.ciscoexample.com' });
    expect(finding.reference).toContain('212383');
    expect(finding.remediation).toContain('Create "sip.ciscoexample.com. 3600 IN A 192.0.2.10"');
    expect(finding.remediation).toContain(`"${SRV}. 3600 IN SRV 10 10 5061 sip.ciscoexample.com."`);
    expect(finding.data).toMatchObject({ position: 'deeper' });
  });

  it('is information for a local domain hosted by Microsoft 365', () => {
    const finding = singleFinding(check, federationTarget({ srv: [srv(100, 1, 5061, 'sipfed.online.lync.com')] }));
    expect(finding).toMatchObject({ code: 'srv-target-namespace.microsoft365', status: 'info', subject: 'sipfed.online.lync.com' });
    expect(finding.data).toMatchObject({ microsoft365: 'Microsoft 365 (worldwide)' });
  });

  it('recognises the sovereign Microsoft 365 clouds for a partner', () => {
    const finding = singleFinding(
      check,
      federationTarget({ role: 'partner', srv: [srv(100, 1, 5061, 'sipfed.online.gov.skypeforbusiness.us')] }),
    );
    expect(finding.code).toBe('srv-target-namespace.microsoft365');
    expect(finding.data).toMatchObject({ microsoft365: 'Microsoft 365 GCC High' });
  });

  it.each([
    ['outside the namespace', 'edge.partner-hosting.example.net', 'srv-target-namespace.partner-outside'],
    ['in a deeper subdomain', 'sip.edge.msexample.com', 'srv-target-namespace.partner-deeper'],
  ])('is information only for a partner edge %s', (_, host, code) => {
    const finding = singleFinding(check, federationTarget({ role: 'partner', srv: [srv(10, 10, 5061, host)] }));
    expect(finding).toMatchObject({ code, status: 'info', subject: host });
    expect(finding.remediation).toBeUndefined();
  });

  it('skips on a "." target and when srv-present did not pass', () => {
    expect(singleFinding(check, federationTarget({ srv: [srv(0, 0, 0, '.')] })).code).toBe('srv-target-namespace.srv-unavailable');
    const missing = singleFinding(check, targetObservations({ dns: [nxdomain(SRV, 'SRV')] }));
    expect(missing).toMatchObject({ code: 'srv-target-namespace.no-srv', subject: SRV });
  });
});
