// The missing trailing dot: under $ORIGIN ciscoexample.com., "SRV 0 0 5061 sip.ciscoexample.com"
// expands to sip.ciscoexample.com.ciscoexample.com. srv-target-address, srv-target-namespace and
// cert-name recognise it and give one fix: the SRV line with the trailing dot.
import { describe, expect, it } from 'vitest';
import { check as certName } from '../../../src/checks/cert-name.js';
import { check as srvTargetAddress } from '../../../src/checks/srv-target-address.js';
import { check as srvTargetNamespace } from '../../../src/checks/srv-target-namespace.js';
import type { DnsQueryObservation, TargetObservations } from '../../../src/model/observations.js';
import {
  addressQuery,
  leafCertificate,
  nodata,
  nxdomain,
  singleFinding,
  srv,
  srvName,
  srvQuery,
  targetObservations,
  tlsProbe,
} from '../../helpers/builders/index.js';

const DOMAIN = 'ciscoexample.com';
const SRV = srvName(DOMAIN);
const DOUBLED = 'sip.ciscoexample.com.ciscoexample.com';
const FIXED_LINE = `"${SRV}. 3600 IN SRV 0 0 5061 sip.ciscoexample.com."`;

function doubledTarget(addresses: DnsQueryObservation[], options: { role?: 'local' | 'partner'; certificateNames?: string[]; domain?: string; host?: string } = {}): TargetObservations {
  const domain = options.domain ?? DOMAIN;
  const host = options.host ?? DOUBLED;
  const probes = options.certificateNames
    ? [tlsProbe({ host, chain: [leafCertificate({ sanDnsNames: options.certificateNames, subjectCN: options.certificateNames[0] })] })]
    : [];
  return targetObservations({ domain, role: options.role ?? 'local', dns: [srvQuery(srvName(domain), [srv(0, 0, 5061, host)]), ...addresses], tls: probes });
}

const unresolved = [nxdomain(DOUBLED, 'A'), nxdomain(DOUBLED, 'AAAA')];
/** A wildcard *.ciscoexample.com answers for the doubled name too. */
const wildcard = [addressQuery(DOUBLED, 'A', ['192.0.2.10']), nodata(DOUBLED, 'AAAA')];

describe('a target that repeats its zone at its end', () => {
  it('is the missing trailing dot for srv-target-address and srv-target-namespace, with one fix and no records for the doubled name', () => {
    for (const addresses of [unresolved, wildcard]) {
      const target = doubledTarget(addresses);
      const address = singleFinding(srvTargetAddress, target);
      const namespace = singleFinding(srvTargetNamespace, target);
      expect(address).toMatchObject({ code: 'srv-target-address.missing-trailing-dot', status: 'fail', subject: DOUBLED });
      expect(namespace).toMatchObject({ code: 'srv-target-namespace.missing-trailing-dot', status: 'fail', subject: DOUBLED });
      expect(address.data).toMatchObject({ intended: 'sip.ciscoexample.com', origin: DOMAIN });
      expect(address.remediation).toBe(namespace.remediation);
      expect(address.remediation).toContain(FIXED_LINE);
      expect(address.remediation).not.toMatch(/sip\.ciscoexample\.com\.ciscoexample\.com\. \d+ IN A/);
    }
  });

  it('is the missing trailing dot for cert-name, which never asks for a certificate for the doubled name', () => {
    const named = singleFinding(certName, doubledTarget(wildcard, { certificateNames: ['sip.ciscoexample.com'] }));
    expect(named).toMatchObject({ code: 'cert-name.missing-trailing-dot', status: 'fail', data: { intendedMatch: 'exact' } });
    expect(named.remediation).toBe(singleFinding(srvTargetNamespace, doubledTarget(wildcard)).remediation);
    expect(named.remediation).not.toContain(`DNS:${DOUBLED}`);
    // A certificate that does not name the intended host either: the SRV fix, then the certificate's.
    const neither = singleFinding(certName, doubledTarget(wildcard, { certificateNames: ['other.ciscoexample.com'] }));
    expect(neither.code).toBe('cert-name.missing-trailing-dot');
    expect(neither.remediation).toContain(FIXED_LINE);
    expect(neither.remediation).toContain('DNS:sip.ciscoexample.com ');
    expect(neither.remediation).not.toContain(`DNS:${DOUBLED}`);
  });

  it('repeats the zone of a SIP domain below it', () => {
    const host = 'sip.eu.ciscoexample.com.ciscoexample.com';
    const target = doubledTarget([nxdomain(host, 'A'), nxdomain(host, 'AAAA')], { domain: 'eu.ciscoexample.com', host });
    const finding = singleFinding(srvTargetNamespace, target);
    expect(finding).toMatchObject({ code: 'srv-target-namespace.missing-trailing-dot', data: { intended: 'sip.eu.ciscoexample.com', origin: DOMAIN } });
    expect(finding.remediation).toContain(`"${srvName('eu.ciscoexample.com')}. 3600 IN SRV 0 0 5061 sip.eu.ciscoexample.com."`);
  });

  it('is asked of a partner', () => {
    const finding = singleFinding(srvTargetNamespace, doubledTarget(unresolved, { role: 'partner' }));
    expect(finding.code).toBe('srv-target-namespace.missing-trailing-dot');
    expect(finding.remediation).toMatch(/^Ask the administrators of ciscoexample\.com/);
  });

  it('is not diagnosed for names that do not repeat the zone', () => {
    const deeper = 'a.b.ciscoexample.com';
    const target = doubledTarget([addressQuery(deeper, 'A', ['192.0.2.10']), nodata(deeper, 'AAAA')], { host: deeper, certificateNames: [deeper] });
    expect(singleFinding(srvTargetNamespace, target).code).toBe('srv-target-namespace.deeper');
    expect(singleFinding(srvTargetAddress, target).code).toBe('srv-target-address.pass');
    expect(singleFinding(certName, target).code).toBe('cert-name.pass');
    const outside = 'sip.ciscoexample.com.example.net';
    expect(singleFinding(srvTargetNamespace, doubledTarget([nxdomain(outside, 'A'), nxdomain(outside, 'AAAA')], { host: outside })).code).toBe(
      'srv-target-namespace.outside',
    );
  });
});
