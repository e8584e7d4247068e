import { describe, expect, it } from 'vitest';
import { check } from '../../src/checks/m365-records.js';
import { codesOf, microsoft365Target, runCheck, targetObservations, nxdomain, srvName, PARTNER_DOMAIN } from '../helpers/builders/index.js';

const WORLDWIDE = {
  federation: 'sipfed.online.lync.com',
  sipTls: { target: 'sipdir.online.lync.com', port: 443 },
  sip: { cname: 'sipdir.online.lync.com' },
  lyncdiscover: { cname: 'webdir.online.lync.com' },
} as const;

function finding(findings: ReturnType<typeof runCheck>, code: string, subject?: string) {
  const found = findings.find((entry) => entry.code === code && (subject === undefined || entry.subject === subject));
  if (!found) throw new Error(`no ${code} ${subject ?? ''} among ${codesOf(findings).join(', ')}`);
  return found;
}

describe('m365-records', () => {
  it('passes each record of a complete Microsoft 365 set', () => {
    const findings = runCheck(check, microsoft365Target(WORLDWIDE));
    expect(codesOf(findings)).toEqual(Array(4).fill('m365-records.record-ok'));
    expect(findings.map((entry) => entry.subject)).toEqual([
      `_sipfederationtls._tcp.${PARTNER_DOMAIN}`,
      `_sip._tls.${PARTNER_DOMAIN}`,
      `sip.${PARTNER_DOMAIN}`,
      `lyncdiscover.${PARTNER_DOMAIN}`,
    ]);
    expect(findings[3]!.message).toContain('webdir.online.lync.com (Microsoft 365 (worldwide))');
  });

  it('passes the records of the other Microsoft clouds against their own hosts', () => {
    const gcc = runCheck(
      check,
      microsoft365Target({
        federation: 'sipfed.online.gov.skypeforbusiness.us',
        sipTls: { target: 'sipdir.online.gov.skypeforbusiness.us', port: 443 },
        sip: { cname: 'sipdir.online.gov.skypeforbusiness.us' },
        lyncdiscover: { cname: 'webdir.online.gov.skypeforbusiness.us' },
      }),
    );
    expect(codesOf(gcc)).toEqual(Array(4).fill('m365-records.record-ok'));
    const china = runCheck(check, microsoft365Target({ federation: 'sipfed.online.partner.lync.cn', lyncdiscover: { cname: 'webdir.online.partner.lync.cn' } }));
    expect(finding(china, 'm365-records.record-ok', `lyncdiscover.${PARTNER_DOMAIN}`).message).toContain('21Vianet');
  });

  it('reports the legacy records a Teams-only tenant left out as information, with the record to create', () => {
    const findings = runCheck(check, microsoft365Target({ federation: 'sipfed.online.lync.com', sipTls: 'nxdomain', sip: 'nxdomain', lyncdiscover: 'nxdomain' }));
    expect(codesOf(findings)).toEqual(['m365-records.record-ok', ...Array(3).fill('m365-records.record-absent')]);
    expect(finding(findings, 'm365-records.record-absent', `lyncdiscover.${PARTNER_DOMAIN}`).remediation).toContain(
      `lyncdiscover.${PARTNER_DOMAIN}. 3600 IN CNAME webdir.online.lync.com.`,
    );
    expect(finding(findings, 'm365-records.record-absent', `_sip._tls.${PARTNER_DOMAIN}`).remediation).toContain(
      `_sip._tls.${PARTNER_DOMAIN}. 3600 IN SRV 100 1 443 sipdir.online.lync.com.`,
    );
  });

  it('warns about a record at the wrong Microsoft host, port or cloud, with the exact change', () => {
    const findings = runCheck(
      check,
      microsoft365Target({
        federation: 'sipfed.online.lync.com',
        sipTls: { target: 'sipdir.online.lync.com', port: 5061 },
        sip: { cname: 'sipfed.online.lync.com' },
        lyncdiscover: { cname: 'webdir.online.gov.skypeforbusiness.us' },
      }),
    );
    expect(codesOf(findings)).toEqual(['m365-records.record-ok', ...Array(3).fill('m365-records.record-wrong')]);
    const [, port, host, cloud] = findings;
    expect(port!.message).toContain('port 5061');
    expect(port!.remediation).toBe(
      `Ask the administrators of ${PARTNER_DOMAIN} (it is their DNS and edge) to change "_sip._tls.${PARTNER_DOMAIN}. 3600 IN SRV 100 1 5061 sipdir.online.lync.com." ` +
        `to "_sip._tls.${PARTNER_DOMAIN}. 3600 IN SRV 100 1 443 sipdir.online.lync.com.".`,
    );
    expect(host!.message).toContain('where Microsoft 365 (worldwide) publishes sipdir.online.lync.com');
    expect(cloud!.message).toContain('Microsoft 365 GCC High');
    expect(cloud!.remediation).toContain(`lyncdiscover.${PARTNER_DOMAIN}. 3600 IN CNAME webdir.online.lync.com.`);
  });

  it('warns about a half-migrated hybrid: federation at Microsoft 365, sign-in and autodiscover on-premises', () => {
    const findings = runCheck(
      check,
      microsoft365Target({
        federation: 'sipfed.online.lync.com',
        sipTls: { target: `access.${PARTNER_DOMAIN}`, port: 443 },
        sip: { a: ['192.0.2.120'] },
        lyncdiscover: { a: ['192.0.2.121'] },
      }),
    );
    // The records that point on-premises are the split's: no finding of their own.
    expect(codesOf(findings)).toEqual(['m365-records.record-ok', 'm365-records.split']);
    const split = finding(findings, 'm365-records.split');
    expect(split).toMatchObject({ status: 'warn', subject: PARTNER_DOMAIN });
    for (const part of [
      `_sipfederationtls._tcp.${PARTNER_DOMAIN} → sipfed.online.lync.com:5061 (Microsoft 365 (worldwide))`,
      `_sip._tls.${PARTNER_DOMAIN} → access.${PARTNER_DOMAIN}:443 (on-premises)`,
      `sip.${PARTNER_DOMAIN} → 192.0.2.120 (on-premises)`,
      `lyncdiscover.${PARTNER_DOMAIN} → 192.0.2.121 (on-premises)`,
    ]) {
      expect(split.message).toContain(part);
    }
    // Both directions, each with the exact records.
    expect(split.remediation).toContain(`"lyncdiscover.${PARTNER_DOMAIN}. 3600 IN A 192.0.2.121" to "lyncdiscover.${PARTNER_DOMAIN}. 3600 IN CNAME webdir.online.lync.com."`);
    expect(split.remediation).toContain(`"sip.${PARTNER_DOMAIN}. 3600 IN A 192.0.2.120" to "sip.${PARTNER_DOMAIN}. 3600 IN CNAME sipdir.online.lync.com."`);
    expect(split.remediation).toContain(
      `"_sipfederationtls._tcp.${PARTNER_DOMAIN}. 3600 IN SRV 100 1 5061 sipfed.online.lync.com." to "_sipfederationtls._tcp.${PARTNER_DOMAIN}. 3600 IN SRV 100 1 5061 access.${PARTNER_DOMAIN}."`,
    );
  });

  it('warns about the reverse split: federation on-premises, autodiscover already at Microsoft 365', () => {
    const findings = runCheck(
      check,
      microsoft365Target({
        federation: `access.${PARTNER_DOMAIN}`,
        sipTls: { target: `access.${PARTNER_DOMAIN}`, port: 443 },
        sip: { a: ['192.0.2.120'] },
        lyncdiscover: { cname: 'webdir.online.lync.com' },
      }),
    );
    expect(codesOf(findings)).toEqual(['m365-records.split']);
    const split = finding(findings, 'm365-records.split');
    expect(split.message).toContain(`lyncdiscover.${PARTNER_DOMAIN} → webdir.online.lync.com (Microsoft 365 (worldwide))`);
    expect(split.remediation).toContain(
      `replace "lyncdiscover.${PARTNER_DOMAIN}. 3600 IN CNAME webdir.online.lync.com." with an A record of the on-premises reverse proxy`,
    );
    expect(split.remediation).toContain(`to "_sipfederationtls._tcp.${PARTNER_DOMAIN}. 3600 IN SRV 100 1 5061 sipfed.online.lync.com."`);
  });

  it('reports the records of a domain federating on-premises as one piece of information, saying where each points', () => {
    const findings = runCheck(
      check,
      microsoft365Target({ federation: `access.${PARTNER_DOMAIN}`, sipTls: { target: `access.${PARTNER_DOMAIN}`, port: 443 }, sip: { a: ['192.0.2.120'] }, lyncdiscover: 'nxdomain' }),
    );
    expect(codesOf(findings)).toEqual(['m365-records.on-premises']);
    expect(findings[0]).toMatchObject({ status: 'info', subject: PARTNER_DOMAIN });
    for (const part of [`access.${PARTNER_DOMAIN}:5061`, `access.${PARTNER_DOMAIN}:443`, '192.0.2.120', `lyncdiscover.${PARTNER_DOMAIN} → no record (NXDOMAIN)`]) {
      expect(findings[0]!.message).toContain(part);
    }
  });

  it("warns a local domain whose records lead to Microsoft 365 while federation reaches the Expressway-E, with the fix as the domain's own", () => {
    const findings = runCheck(check, microsoft365Target({ role: 'local', federation: 'sip.ciscoexample.com', lyncdiscover: { cname: 'webdir.online.lync.com' } }));
    const split = finding(findings, 'm365-records.split');
    expect(split.remediation).toMatch(/^Point every record where the users are homed/);
  });

  it('says where a record points is unknown when its lookup failed', () => {
    const findings = runCheck(check, microsoft365Target({ ...WORLDWIDE, lyncdiscover: 'servfail' }));
    expect(codesOf(findings)).toEqual([...Array(3).fill('m365-records.record-ok'), 'm365-records.lookup-failed']);
    expect(finding(findings, 'm365-records.lookup-failed')).toMatchObject({ status: 'error', subject: `lyncdiscover.${PARTNER_DOMAIN}` });
    const onPremises = runCheck(check, microsoft365Target({ federation: `access.${PARTNER_DOMAIN}`, sipTls: 'nxdomain', sip: 'servfail', lyncdiscover: 'nxdomain' }));
    expect(codesOf(onPremises)).toEqual(['m365-records.on-premises', 'm365-records.lookup-failed']);
  });

  it('skips when the other records were never looked up (a report from before this check)', () => {
    expect(codesOf(runCheck(check, microsoft365Target({ federation: 'sipfed.online.lync.com' })))).toEqual(['m365-records.not-gathered']);
    // An earlier fedcheck asked sip.<domain> only as the SRV target's address: the rest of the set was never asked, not failed.
    const onlyTheTarget = microsoft365Target({ role: 'local', federation: 'sip.ciscoexample.com', sip: { a: ['192.0.2.10'] } });
    expect(codesOf(runCheck(check, onlyTheTarget))).toEqual(['m365-records.not-gathered']);
  });

  it('skips a domain without a federation SRV record', () => {
    const target = targetObservations({ domain: PARTNER_DOMAIN, role: 'partner', dns: [nxdomain(srvName(PARTNER_DOMAIN), 'SRV')] });
    expect(codesOf(runCheck(check, target))).toEqual(['m365-records.no-srv']);
    const unavailable = microsoft365Target({ federation: '.' });
    expect(codesOf(runCheck(check, unavailable))).toEqual(['m365-records.srv-unavailable']);
  });
});
