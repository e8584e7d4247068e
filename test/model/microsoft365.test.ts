import { describe, expect, it } from 'vitest';
import {
  MICROSOFT_365_CLOUDS,
  cloudOfFederationHost,
  microsoft365HostRole,
  readMicrosoft365Records,
} from '../../src/model/microsoft365.js';
import type { DnsQueryObservation, DnsQueryType, DnsRecord, TargetObservations } from '../../src/model/observations.js';

const DOMAIN = 'contoso.com';
const RESOLVER = '192.0.2.53:53';

function query(name: string, type: DnsQueryType, answers: DnsRecord[], rcode = 'NOERROR'): DnsQueryObservation {
  return { name, type, resolver: RESOLVER, transport: 'udp', retriedOverTcp: false, rcode, answers, authorities: [], durationMs: 1 };
}
const srv = (name: string, target: string, port: number): DnsRecord => ({ name, type: 'SRV', ttl: 3600, data: { priority: 100, weight: 1, port, target } });
const cname = (name: string, target: string): DnsRecord => ({ name, type: 'CNAME', ttl: 3600, data: target });
const a = (name: string, address: string): DnsRecord => ({ name, type: 'A', ttl: 3600, data: address });

function target(dns: DnsQueryObservation[]): TargetObservations {
  return { domain: DOMAIN, role: 'partner', resolvers: [RESOLVER], dns, tls: [] };
}

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

describe('readMicrosoft365Records', () => {
  it('reads a complete worldwide Microsoft 365 set as expected records', () => {
    const readings = readMicrosoft365Records(
      target([
        query(`_sipfederationtls._tcp.${DOMAIN}`, 'SRV', [srv(`_sipfederationtls._tcp.${DOMAIN}`, 'sipfed.online.lync.com', 5061)]),
        query(`_sip._tls.${DOMAIN}`, 'SRV', [srv(`_sip._tls.${DOMAIN}`, 'sipdir.online.lync.com', 443)]),
        query(`sip.${DOMAIN}`, 'A', [cname(`sip.${DOMAIN}`, 'sipdir.online.lync.com'), a('sipdir.online.lync.com', '52.112.0.1')]),
        query(`lyncdiscover.${DOMAIN}`, 'A', [cname(`lyncdiscover.${DOMAIN}`, 'webdir.online.lync.com')]),
      ]),
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
      target([
        query(`_sip._tls.${DOMAIN}`, 'SRV', [srv(`_sip._tls.${DOMAIN}`, 'sipdir.online.lync.com', 5061)]),
        query(`sip.${DOMAIN}`, 'A', [cname(`sip.${DOMAIN}`, 'sipfed.online.lync.com')]),
        query(`lyncdiscover.${DOMAIN}`, 'A', [cname(`lyncdiscover.${DOMAIN}`, 'webdir.online.gov.skypeforbusiness.us')]),
      ]),
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
      target([
        query(`_sipfederationtls._tcp.${DOMAIN}`, 'SRV', [srv(`_sipfederationtls._tcp.${DOMAIN}`, `access.${DOMAIN}`, 5061)]),
        query(`_sip._tls.${DOMAIN}`, 'SRV', [], 'NXDOMAIN'),
        query(`sip.${DOMAIN}`, 'A', [a(`sip.${DOMAIN}`, '203.0.113.5')]),
        query(`lyncdiscover.${DOMAIN}`, 'A', [], 'SERVFAIL'),
      ]),
    );
    expect(readings.map((reading) => reading.placement)).toMatchObject([
      { kind: 'on-premises', host: `access.${DOMAIN}`, port: 5061 },
      { kind: 'absent', outcome: 'nxdomain' },
      { kind: 'on-premises', host: `sip.${DOMAIN}`, addresses: ['203.0.113.5'] },
      { kind: 'unknown' },
    ]);
  });

  it('names the target of a CNAME even when the target has no address', () => {
    const [, , , lyncdiscover] = readMicrosoft365Records(
      target([query(`lyncdiscover.${DOMAIN}`, 'A', [cname(`lyncdiscover.${DOMAIN}`, `proxy.${DOMAIN}`)])]),
    );
    expect(lyncdiscover?.placement).toEqual({ kind: 'on-premises', host: `proxy.${DOMAIN}`, addresses: [] });
  });

  it('says unknown for a record that was never asked', () => {
    expect(readMicrosoft365Records(target([])).map((reading) => reading.placement.kind)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
  });
});
