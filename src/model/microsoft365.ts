// The DNS records a SIP domain hosted by Microsoft 365 (Teams, Skype for Business Online) has,
// per Microsoft cloud: what gather asks about every domain with a federation SRV record, and what
// m365-records compares it with. Office365DnsChecker's Test-TeamsRecords checks the same set.
import { canonicalName, cnameChain, dnsOutcome, effectiveQuery, finalRecords, selectSrvRecord, srvRecords } from './dns.js';
import type { DnsQueryObservation, DnsQueryType, TargetObservations } from './observations.js';

export interface Microsoft365Cloud {
  /** "Microsoft 365 (worldwide)", "Microsoft 365 GCC High", … */
  name: string;
  /** Target of `_sipfederationtls._tcp` (port 5061): Microsoft's federation edge. */
  federationHost: string;
  /** Target of `_sip._tls` (port 443) and of the `sip` CNAME. */
  sipDirectoryHost: string;
  /** Target of the `lyncdiscover` CNAME. */
  webDirectoryHost: string;
  /** Where Microsoft documents these values. */
  source: string;
}

export const MICROSOFT_365_CLOUDS: readonly Microsoft365Cloud[] = [
  {
    name: 'Microsoft 365 (worldwide)',
    federationHost: 'sipfed.online.lync.com',
    sipDirectoryHost: 'sipdir.online.lync.com',
    webDirectoryHost: 'webdir.online.lync.com',
    source:
      'Microsoft Learn, "Disable hybrid to complete migration to the cloud" (skypeforbusiness/hybrid/cloud-consolidation-disabling-hybrid), "Update DNS to point to Microsoft 365"',
  },
  {
    name: 'Microsoft 365 GCC High',
    federationHost: 'sipfed.online.gov.skypeforbusiness.us',
    sipDirectoryHost: 'sipdir.online.gov.skypeforbusiness.us',
    webDirectoryHost: 'webdir.online.gov.skypeforbusiness.us',
    source: 'Microsoft Learn, "DNS records for Office 365 GCC High" (enterprise/dns-records-for-office-365-gcc-high), Skype for Business Online',
  },
  {
    name: 'Microsoft 365 DoD',
    federationHost: 'sipfed.online.dod.skypeforbusiness.us',
    sipDirectoryHost: 'sipdir.online.dod.skypeforbusiness.us',
    webDirectoryHost: 'webdir.online.dod.skypeforbusiness.us',
    source: 'Microsoft Learn, "DNS records for Office 365 DoD" (enterprise/dns-records-for-office-365-dod), Skype for Business Online',
  },
  {
    name: 'Microsoft 365 operated by 21Vianet (China)',
    federationHost: 'sipfed.online.partner.lync.cn',
    sipDirectoryHost: 'sipdir.online.partner.lync.cn',
    webDirectoryHost: 'webdir.online.partner.lync.cn',
    source:
      'Microsoft Learn, "Create DNS records for Office 365 operated by 21Vianet" (e.g. "Create DNS records at East.net for Office 365"), Lync records',
  },
];

/** The Microsoft 365 cloud whose federation edge a `_sipfederationtls._tcp` target is. */
export function cloudOfFederationHost(host: string): Microsoft365Cloud | undefined {
  const name = canonicalName(host);
  return MICROSOFT_365_CLOUDS.find((cloud) => cloud.federationHost === name);
}

/** The name of the Microsoft 365 cloud an SRV target belongs to, or undefined for an on-premises edge. */
export function microsoft365Cloud(targetName: string): string | undefined {
  return cloudOfFederationHost(targetName)?.name;
}

/** The Microsoft 365 cloud and role of any of its hosts, for naming where a record points. */
export function microsoft365HostRole(
  host: string,
): { cloud: Microsoft365Cloud; role: 'federation' | 'sip-directory' | 'web-directory' } | undefined {
  const name = canonicalName(host);
  for (const cloud of MICROSOFT_365_CLOUDS) {
    if (cloud.federationHost === name) return { cloud, role: 'federation' };
    if (cloud.sipDirectoryHost === name) return { cloud, role: 'sip-directory' };
    if (cloud.webDirectoryHost === name) return { cloud, role: 'web-directory' };
  }
  return undefined;
}

export type Microsoft365RecordKind = 'federation' | 'sip-tls' | 'sip' | 'lyncdiscover';

export interface Microsoft365RecordSpec {
  kind: Microsoft365RecordKind;
  /** The record's owner for a SIP domain. */
  name(domain: string): string;
  /** SRV for the two service records; A for the two host names, whose answer shows any CNAME in front. */
  queryType: Extract<DnsQueryType, 'SRV' | 'A'>;
  /** The record Microsoft 365 wants there, as a zone-file type. */
  recordType: 'SRV' | 'CNAME';
  /** Its target in a given cloud. */
  expectedHost(cloud: Microsoft365Cloud): string;
  /** For SRV records: the port Microsoft 365 publishes. */
  port?: number;
  /** What clients or servers use the record for. */
  purpose: string;
}

export const MICROSOFT_365_RECORDS: readonly Microsoft365RecordSpec[] = [
  {
    kind: 'federation',
    name: (domain) => `_sipfederationtls._tcp.${canonicalName(domain)}`,
    queryType: 'SRV',
    recordType: 'SRV',
    expectedHost: (cloud) => cloud.federationHost,
    port: 5061,
    purpose: 'federation: where other organizations send SIP traffic for the domain',
  },
  {
    kind: 'sip-tls',
    name: (domain) => `_sip._tls.${canonicalName(domain)}`,
    queryType: 'SRV',
    recordType: 'SRV',
    expectedHost: (cloud) => cloud.sipDirectoryHost,
    port: 443,
    purpose: 'client sign-in: where Skype for Business clients and phones find their registrar',
  },
  {
    kind: 'sip',
    name: (domain) => `sip.${canonicalName(domain)}`,
    queryType: 'A',
    recordType: 'CNAME',
    expectedHost: (cloud) => cloud.sipDirectoryHost,
    purpose: 'client sign-in fallback when the SRV record is not used',
  },
  {
    kind: 'lyncdiscover',
    name: (domain) => `lyncdiscover.${canonicalName(domain)}`,
    queryType: 'A',
    recordType: 'CNAME',
    expectedHost: (cloud) => cloud.webDirectoryHost,
    purpose: 'autodiscover: where clients, phones and Teams interop find the web services for the domain',
  },
];

/** Where one of the records points, as the resolvers answered. */
export type Microsoft365RecordPlacement =
  /** At a Microsoft 365 host; `expected` when it is the one this record should name in that cloud. */
  | { kind: 'microsoft365'; host: string; cloud: Microsoft365Cloud; expected: boolean; port?: number }
  /** At a host that is not Microsoft's: an on-premises edge, reverse proxy or front end. */
  | { kind: 'on-premises'; host: string; port?: number; addresses: string[] }
  | { kind: 'absent'; outcome: 'nxdomain' | 'nodata' }
  /** Not known: the lookup failed or was never asked. */
  | { kind: 'unknown'; query?: DnsQueryObservation };

export interface Microsoft365RecordReading {
  spec: Microsoft365RecordSpec;
  name: string;
  query?: DnsQueryObservation;
  placement: Microsoft365RecordPlacement;
}

/** Where each of the domain's Teams / Skype for Business records points, in MICROSOFT_365_RECORDS order. */
export function readMicrosoft365Records(target: TargetObservations): Microsoft365RecordReading[] {
  return MICROSOFT_365_RECORDS.map((spec) => {
    const name = spec.name(target.domain);
    const query = effectiveQuery(target, name, spec.queryType);
    return { spec, name, ...(query ? { query } : {}), placement: placement(spec, query) };
  });
}

function placement(spec: Microsoft365RecordSpec, query: DnsQueryObservation | undefined): Microsoft365RecordPlacement {
  if (!query) return { kind: 'unknown' };
  const outcome = dnsOutcome(query);
  if (outcome === 'nxdomain' || outcome === 'nodata') {
    // An A question answered by a CNAME whose target has no address still names the target.
    const alias = cnameChain(query)[0];
    if (!alias) return { kind: 'absent', outcome };
  } else if (outcome !== 'answer') {
    return { kind: 'unknown', query };
  }
  let host: string;
  let port: number | undefined;
  if (spec.queryType === 'SRV') {
    const selected = selectSrvRecord(srvRecords(query))?.selected;
    if (!selected) return { kind: 'absent', outcome: 'nodata' };
    host = canonicalName(selected.target);
    port = selected.port;
  } else {
    host = cnameChain(query)[0]?.data ?? query.name;
  }
  const microsoft = microsoft365HostRole(host);
  if (microsoft) {
    return {
      kind: 'microsoft365',
      host,
      cloud: microsoft.cloud,
      expected: spec.expectedHost(microsoft.cloud) === host && (spec.port === undefined || spec.port === port),
      ...(port !== undefined ? { port } : {}),
    };
  }
  const addresses = spec.queryType === 'A' ? finalRecords(query, 'A').map((record) => record.data) : [];
  return { kind: 'on-premises', host, ...(port !== undefined ? { port } : {}), addresses };
}
