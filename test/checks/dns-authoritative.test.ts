import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/dns-authoritative.js';
import {
  DOMAIN,
  OLD_SERIAL,
  SERIAL,
  authoritativeTarget,
  codesOf,
  runCheck,
  srv,
  srvName,
  targetObservations,
} from '../helpers/builders/index.js';

const SRV_NAME = srvName(DOMAIN);

function find(findings: ReturnType<typeof runCheck>, code: string) {
  const found = findings.find((finding) => finding.code === code);
  if (!found) throw new Error(`no ${code} among ${codesOf(findings).join(', ')}`);
  return found;
}

describe('dns-authoritative', () => {
  it('passes when every server answers authoritatively with the same records, naming them and the serial', () => {
    const findings = runCheck(check, authoritativeTarget({ servers: [{}, {}, {}] }));
    expect(codesOf(findings)).toEqual(['dns-authoritative.consistent']);
    const [pass] = findings;
    expect(pass).toMatchObject({ status: 'pass', subject: DOMAIN });
    for (const part of ['ns1.ciscoexample.com (192.0.2.51)', 'ns3.ciscoexample.com (192.0.2.53)', `serial ${SERIAL}`, '10 10 5061 sip.ciscoexample.com']) {
      expect(pass!.message).toContain(part);
    }
  });

  it('skips servers that agree the record does not exist (srv-present judges that), still naming a lame one', () => {
    const findings = runCheck(check, authoritativeTarget({ srv: [], servers: [{ srv: 'nxdomain' }, { srv: 'nxdomain' }] }));
    expect(codesOf(findings)).toEqual(['dns-authoritative.no-srv']);
    const lame = runCheck(check, authoritativeTarget({ srv: [], servers: [{ srv: 'nxdomain' }, { lame: { rcode: 'REFUSED' } }] }));
    expect(codesOf(lame)).toEqual(['dns-authoritative.lame']);
  });

  it('fails a server that still has the record the others deleted', () => {
    const findings = runCheck(check, authoritativeTarget({ srv: [], servers: [{ srv: 'nxdomain' }, { srv: [srv(10, 10, 5061, 'sip.ciscoexample.com')], serial: OLD_SERIAL }] }));
    expect(codesOf(findings)).toEqual(['dns-authoritative.srv-differs']);
    expect(findings[0]!.message).toContain('NXDOMAIN');
  });

  it.each([
    ['REFUSED', { rcode: 'REFUSED' }, 'REFUSED'],
    ['SERVFAIL', { rcode: 'SERVFAIL', aa: false }, 'SERVFAIL'],
    ['an answer without AA', { rcode: 'NOERROR' }, 'without the AA bit'],
    ['a referral', { rcode: 'NOERROR', referral: true }, 'referral'],
    ['NOTAUTH', { rcode: 'NOTAUTH' }, 'NOTAUTH'],
  ])('fails a lame server that answers %s, naming it and how to fix the delegation', (_, lame, says) => {
    const findings = runCheck(check, authoritativeTarget({ servers: [{}, {}, { lame }] }));
    expect(codesOf(findings)).toEqual(['dns-authoritative.lame']);
    const [finding] = findings;
    expect(finding).toMatchObject({ status: 'fail', subject: '192.0.2.53:53' });
    expect(finding!.message).toContain('ns3.ciscoexample.com (192.0.2.53)');
    expect(finding!.message).toContain(says);
    expect(finding!.remediation).toContain('ciscoexample.com. 3600 IN NS ns3.ciscoexample.com.');
    expect(finding!.remediation).toContain('primary ns1.ciscoexample.com');
  });

  it('fails a server that is lame for one question only', () => {
    const findings = runCheck(check, authoritativeTarget({ servers: [{}, { lame: { rcode: 'SERVFAIL', question: 'SRV' } }] }));
    expect(codesOf(findings)).toEqual(['dns-authoritative.lame']);
    expect(findings[0]!.message).toContain(`${SRV_NAME} SRV`);
  });

  it('fails a stale copy with another SRV target, saying which servers agree and each serial', () => {
    const findings = runCheck(
      check,
      authoritativeTarget({
        servers: [{}, { serial: OLD_SERIAL, srv: [srv(10, 10, 5061, 'vcse.ciscoexample.com')], ipv4: [] }, {}],
      }),
    );
    expect(codesOf(findings)).toEqual(['dns-authoritative.srv-differs']);
    const [finding] = findings;
    expect(finding).toMatchObject({ status: 'fail', subject: SRV_NAME });
    expect(finding!.message).toContain(
      `ns1.ciscoexample.com (192.0.2.51) serial ${SERIAL} and ns3.ciscoexample.com (192.0.2.53) serial ${SERIAL} answer 10 10 5061 sip.ciscoexample.com`,
    );
    expect(finding!.message).toContain(`ns2.ciscoexample.com (192.0.2.52) serial ${OLD_SERIAL} answers 10 10 5061 vcse.ciscoexample.com`);
    expect(finding!.remediation).toContain('Bring ns2.ciscoexample.com (192.0.2.52) up to date');
    expect(finding!.remediation).toContain(`lower serial than ${SERIAL}`);
    expect(finding!.remediation).toContain('_sipfederationtls._tcp.ciscoexample.com. 3600 IN SRV 10 10 5061 sip.ciscoexample.com.');
    expect(finding!.data).toMatchObject({ zone: DOMAIN, servers: [{ serial: SERIAL }, { serial: OLD_SERIAL }, { serial: SERIAL }] });
  });

  it('takes the higher serial as current even when the stale copies are the majority', () => {
    const stale = { serial: OLD_SERIAL, srv: [srv(10, 10, 5061, 'vcse.ciscoexample.com')] };
    const findings = runCheck(check, authoritativeTarget({ servers: [stale, {}, stale] }));
    expect(find(findings, 'dns-authoritative.srv-differs').remediation).toContain(
      'Bring ns1.ciscoexample.com (192.0.2.51) and ns3.ciscoexample.com (192.0.2.53) up to date',
    );
  });

  it('fails servers that agree on the SRV record but give the target different addresses', () => {
    const findings = runCheck(check, authoritativeTarget({ servers: [{}, { ipv4: ['192.0.2.98'], serial: OLD_SERIAL }] }));
    expect(codesOf(findings)).toEqual(['dns-authoritative.addresses-differ']);
    expect(findings[0]).toMatchObject({ status: 'fail', subject: 'sip.ciscoexample.com' });
    expect(findings[0]!.message).toContain('192.0.2.98');
    expect(findings[0]!.remediation).toContain('sip.ciscoexample.com. 3600 IN A 192.0.2.10');
  });

  it('warns when the serials differ but the federation records agree', () => {
    const findings = runCheck(check, authoritativeTarget({ servers: [{}, { serial: OLD_SERIAL }] }));
    expect(codesOf(findings)).toEqual(['dns-authoritative.serial-differs']);
    expect(findings[0]).toMatchObject({ status: 'warn', subject: DOMAIN });
    expect(findings[0]!.message).toContain(`ns2.ciscoexample.com (192.0.2.52) has ${OLD_SERIAL}`);
    expect(findings[0]!.remediation).toContain(`at serial ${SERIAL} from the primary ns1.ciscoexample.com`);
  });

  it.each(['timeout', 'connection-refused'] as const)('warns about a name server that gives no answer (%s), naming it', (errorClass) => {
    const findings = runCheck(check, authoritativeTarget({ servers: [{}, {}, { noResponse: errorClass }] }));
    expect(codesOf(findings)).toEqual(['dns-authoritative.unreachable']);
    expect(findings[0]).toMatchObject({ status: 'warn', subject: '192.0.2.53:53' });
    expect(findings[0]!.message).toContain('ns3.ciscoexample.com (192.0.2.53)');
    expect(findings[0]!.remediation).toContain('UDP and TCP port 53');
  });

  it('warns about a server that answers some questions and not others, and still compares what it said', () => {
    const findings = runCheck(check, authoritativeTarget({ servers: [{}, { unanswered: ['AAAA'] }] }));
    expect(codesOf(findings)).toEqual(['dns-authoritative.unreachable']);
    expect(findings[0]!.message).toContain('answered some questions but not sip.ciscoexample.com AAAA');
  });

  it('notes an address this machine has no route to, and still passes on the others', () => {
    const findings = runCheck(check, authoritativeTarget({ servers: [{}, { address: '2001:db8::53', noResponse: 'unreachable' }] }));
    expect(codesOf(findings)).toEqual(['dns-authoritative.no-route', 'dns-authoritative.consistent']);
    expect(findings[0]).toMatchObject({ status: 'info', subject: '[2001:db8::53]:53' });
  });

  it('warns about a name in the NS set without any address, but not when its lookup merely failed', () => {
    const missing = runCheck(check, authoritativeTarget({ unresolvedNameServers: [{ name: 'ns9.ciscoexample.com' }] }));
    expect(codesOf(missing)).toEqual(['dns-authoritative.unresolvable']);
    expect(missing[0]).toMatchObject({ status: 'warn', subject: 'ns9.ciscoexample.com' });
    expect(missing[0]!.remediation).toContain('ciscoexample.com. 3600 IN NS ns9.ciscoexample.com.');
    const failed = runCheck(check, authoritativeTarget({ unresolvedNameServers: [{ name: 'ns9.ciscoexample.com', lookups: 'servfail' }] }));
    expect(codesOf(failed)).toEqual(['dns-authoritative.consistent']);
  });

  it('skips when no server answers from here, saying outbound DNS is often blocked', () => {
    const findings = runCheck(check, authoritativeTarget({ servers: [{ noResponse: 'timeout' }, { noResponse: 'timeout' }] }));
    expect(codesOf(findings)).toEqual(['dns-authoritative.none-reachable']);
    expect(findings[0]!.message).toContain('Outbound DNS (port 53)');
  });

  it("skips when the run's deadline ended every question", () => {
    const findings = runCheck(check, authoritativeTarget({ servers: [{ noResponse: 'aborted' }] }));
    expect(codesOf(findings)).toEqual(['dns-authoritative.not-asked']);
    expect(findings[0]!.message).toContain('--timeout');
  });

  it("skips when the run's deadline cut short every server's questions after they were sent", () => {
    const everyQuestion = ['SOA', 'SRV', 'A', 'AAAA'] as const;
    const findings = runCheck(check, authoritativeTarget({ servers: [{ cutShort: [...everyQuestion] }, { noResponse: 'aborted' }] }));
    expect(codesOf(findings)).toEqual(['dns-authoritative.not-asked']);
  });

  it("notes a server the run's deadline cut short and keeps the others' verdict, never blaming that server", () => {
    const everyQuestion = ['SOA', 'SRV', 'A', 'AAAA'] as const;
    const agreeing = runCheck(check, authoritativeTarget({ servers: [{}, { cutShort: [...everyQuestion] }] }));
    expect(codesOf(agreeing)).toEqual(['dns-authoritative.cut-short', 'dns-authoritative.consistent']);
    expect(agreeing[0]).toMatchObject({ status: 'info' });
    const partly = runCheck(check, authoritativeTarget({ servers: [{}, { cutShort: ['AAAA'] }] }));
    expect(codesOf(partly)).toEqual(['dns-authoritative.cut-short', 'dns-authoritative.consistent']);
    const stale = runCheck(check, authoritativeTarget({ servers: [{}, { srv: [srv(10, 10, 5061, 'old.ciscoexample.com')] }, { cutShort: [...everyQuestion] }] }));
    expect(codesOf(stale)).toEqual(['dns-authoritative.cut-short', 'dns-authoritative.srv-differs']);
  });

  it('skips without a zone, without NS records, and without the observations at all', () => {
    const noZone = targetObservations({ authoritative: { name: SRV_NAME, nameServers: [], servers: [] } });
    expect(codesOf(runCheck(check, noZone))).toEqual(['dns-authoritative.no-zone']);
    const noNs = targetObservations({ authoritative: { name: SRV_NAME, zone: DOMAIN, nameServers: [], servers: [] } });
    expect(codesOf(runCheck(check, noNs))).toEqual(['dns-authoritative.no-name-servers']);
    expect(codesOf(runCheck(check, targetObservations()))).toEqual(['dns-authoritative.not-gathered']);
  });

  it('reports every broken server of a partner as information, with the fix asked of the partner', () => {
    const findings = runCheck(
      check,
      authoritativeTarget({
        role: 'partner',
        servers: [{}, { lame: { rcode: 'REFUSED' } }, { noResponse: 'timeout' }, { serial: OLD_SERIAL, srv: [srv(10, 10, 5061, 'old.msexample.com')] }],
        unresolvedNameServers: [{ name: 'ns9.msexample.com' }],
      }),
    );
    expect(codesOf(findings).sort()).toEqual(
      ['dns-authoritative.partner-lame', 'dns-authoritative.partner-srv-differs', 'dns-authoritative.partner-unreachable', 'dns-authoritative.partner-unresolvable'].sort(),
    );
    for (const finding of findings) {
      expect(finding.status).toBe('info');
      expect(finding.remediation).toMatch(/^Ask the administrators of msexample\.com/);
    }
    const addresses = runCheck(check, authoritativeTarget({ role: 'partner', servers: [{}, { ipv4: ['192.0.2.98'] }] }));
    expect(codesOf(addresses)).toEqual(['dns-authoritative.partner-addresses-differ']);
    const serial = runCheck(check, authoritativeTarget({ role: 'partner', servers: [{}, { serial: OLD_SERIAL }] }));
    expect(codesOf(serial)).toEqual(['dns-authoritative.partner-serial-differs']);
  });

  it('compares the SRV answers only when the target is outside the zone (a Microsoft 365 domain)', () => {
    const target = authoritativeTarget({ role: 'partner', srv: [srv(100, 1, 5061, 'sipfed.online.lync.com')] });
    expect(target.authoritative?.targetHost).toBeUndefined();
    expect(codesOf(runCheck(check, target))).toEqual(['dns-authoritative.consistent']);
  });
});
