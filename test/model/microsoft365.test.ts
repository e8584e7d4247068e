import { describe, expect, it } from 'vitest';
import { MICROSOFT_365_CLOUDS, cloudOfFederationHost, microsoft365Cloud, microsoft365HostRole, readMicrosoft365Records } from '../../src/model/microsoft365.js';
import { PARTNER_DOMAIN, microsoft365Target, targetObservations } from '../helpers/builders/index.js';

describe('the Microsoft 365 clouds', () => {
  it('knows each cloud by its federation edge and names every host role', () => {
    expect(cloudOfFederationHost('SIPFED.online.gov.skypeforbusiness.us.')?.name).toBe('Microsoft 365 GCC High');
    expect(cloudOfFederationHost('sip.contoso.com')).toBeUndefined();
    for (const cloud of MICROSOFT_365_CLOUDS) {
      expect(microsoft365HostRole(cloud.sipDirectoryHost)).toEqual({ cloud, role: 'sip-directory' });
      expect(microsoft365HostRole(cloud.webDirectoryHost)).toEqual({ cloud, role: 'web-directory' });
    }
  });
});

describe('microsoft365Cloud', () => {
  it('recognises the Microsoft 365 federation edges', () => {
    expect(microsoft365Cloud('sipfed.online.lync.com')).toBe('Microsoft 365 (worldwide)');
    expect(microsoft365Cloud('SIPFED.online.lync.com.')).toBe('Microsoft 365 (worldwide)');
    expect(microsoft365Cloud('sipfed.online.dod.skypeforbusiness.us')).toBe('Microsoft 365 DoD');
    expect(microsoft365Cloud('sipfed.online.partner.lync.cn')).toContain('21Vianet');
    expect(microsoft365Cloud('sip.ciscoexample.com')).toBeUndefined();
  });
});

describe('readMicrosoft365Records', () => {
  it('reads a complete worldwide Microsoft 365 set as expected records', () => {
    const readings = readMicrosoft365Records(
      microsoft365Target({
        federation: 'sipfed.online.lync.com',
        sipTls: { target: 'sipdir.online.lync.com', port: 443 },
        sip: { cname: 'sipdir.online.lync.com', a: ['52.112.0.1'] },
        lyncdiscover: { cname: 'webdir.online.lync.com' },
      }),
    );
    expect(readings.map((reading) => [reading.spec.kind, reading.placement.kind, 'expected' in reading.placement && reading.placement.expected])).toEqual([
      ['federation', 'microsoft365', true],
      ['sip-tls', 'microsoft365', true],
      ['sip', 'microsoft365', true],
      ['lyncdiscover', 'microsoft365', true],
    ]);
  });

  it('tells a wrong Microsoft host or port from the right one, and names the cloud of each host', () => {
    const readings = readMicrosoft365Records(
      microsoft365Target({
        federation: 'sipfed.online.lync.com',
        sipTls: { target: 'sipdir.online.lync.com', port: 5061 },
        sip: { cname: 'sipfed.online.lync.com' },
        lyncdiscover: { cname: 'webdir.online.gov.skypeforbusiness.us' },
      }),
    );
    expect(readings.slice(1).map((reading) => reading.placement)).toMatchObject([
      { kind: 'microsoft365', expected: false, port: 5061 },
      { kind: 'microsoft365', expected: false, host: 'sipfed.online.lync.com' },
      // Right for GCC High; whether GCC High is the domain's cloud is the set's question, not the record's.
      { kind: 'microsoft365', expected: true, cloud: { name: 'Microsoft 365 GCC High' } },
    ]);
  });

  it('reads on-premises targets, absent records and failed lookups', () => {
    const readings = readMicrosoft365Records(
      microsoft365Target({ federation: `access.${PARTNER_DOMAIN}`, sipTls: 'nxdomain', sip: { a: ['203.0.113.5'] }, lyncdiscover: 'servfail' }),
    );
    expect(readings.map((reading) => reading.placement)).toMatchObject([
      { kind: 'on-premises', host: `access.${PARTNER_DOMAIN}`, port: 5061 },
      { kind: 'absent', outcome: 'nxdomain' },
      { kind: 'on-premises', host: `sip.${PARTNER_DOMAIN}`, addresses: ['203.0.113.5'] },
      { kind: 'unknown' },
    ]);
  });

  it('names the target of a CNAME even when the target has no address', () => {
    const [, , , lyncdiscover] = readMicrosoft365Records(
      microsoft365Target({ federation: 'sipfed.online.lync.com', lyncdiscover: { cname: `proxy.${PARTNER_DOMAIN}` } }),
    );
    expect(lyncdiscover?.placement).toEqual({ kind: 'on-premises', host: `proxy.${PARTNER_DOMAIN}`, addresses: [] });
  });

  it('says unknown for a record that was never asked', () => {
    expect(readMicrosoft365Records(targetObservations()).map((reading) => reading.placement.kind)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
  });
});
