// Zone-file rendering, so that a remediation names the exact record to create, change or delete.
import type { DnsRecord, SrvData } from '../../model/observations.js';
import { canonicalName } from '../../model/dns.js';

export type SrvRecord = Extract<DnsRecord, { type: 'SRV' }>;
export type CnameRecord = Extract<DnsRecord, { type: 'CNAME' }>;
export type AddressRecord = Extract<DnsRecord, { type: 'A' | 'AAAA' }>;

/** TTL used for records a remediation asks to create. */
export const DEFAULT_ZONE_TTL = 3600;

/** Fully qualified with the trailing dot, as written in a zone file: "sip.example.com." */
export function absoluteName(name: string): string {
  const canonical = canonicalName(name);
  return canonical === '.' ? '.' : `${canonical}.`;
}

/** One record in zone-file syntax: `sip.example.com. 3600 IN A 192.0.2.10`. */
export function zoneLine(record: DnsRecord): string {
  const head = `${absoluteName(record.name)} ${record.ttl} IN`;
  switch (record.type) {
    case 'SRV':
      return `${head} SRV ${srvRdata(record.data)}`;
    case 'A':
    case 'AAAA':
      return `${head} ${record.type} ${record.data}`;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return `${head} ${record.type} ${absoluteName(record.data)}`;
    case 'TXT':
      return `${head} TXT ${record.data.map((text) => JSON.stringify(text)).join(' ')}`;
    case 'SOA': {
      const soa = record.data;
      return `${head} SOA ${absoluteName(soa.mname)} ${absoluteName(soa.rname)} ${soa.serial} ${soa.refresh} ${soa.retry} ${soa.expire} ${soa.minimum}`;
    }
    case 'OTHER':
      return `${head} ${record.rrtype} ${record.data}`;
  }
}

export function srvZoneLine(owner: string, srv: SrvData, ttl: number = DEFAULT_ZONE_TTL): string {
  return `${absoluteName(owner)} ${ttl} IN SRV ${srvRdata(srv)}`;
}

/** An A or AAAA line, by the address's family. */
export function addressZoneLine(owner: string, address: string, ttl: number = DEFAULT_ZONE_TTL): string {
  return `${absoluteName(owner)} ${ttl} IN ${isIpv6(address) ? 'AAAA' : 'A'} ${address}`;
}

function srvRdata(srv: SrvData): string {
  return `${srv.priority} ${srv.weight} ${srv.port} ${absoluteName(srv.target)}`;
}

export function isIpv6(address: string): boolean {
  return address.includes(':');
}
