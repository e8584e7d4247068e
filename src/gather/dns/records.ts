// Turns dns-packet's decoded records into the observation model's DnsRecord union. Everything
// here reads data a remote server chose, so it never throws: what does not fit a known shape
// becomes an OTHER record with a printable rendering.
import type { Answer } from 'dns-packet';
import { canonicalName } from '../../model/dns.js';
import type { DnsRecord, SoaData, SrvData } from '../../model/observations.js';

export function toDnsRecord(answer: Answer): DnsRecord {
  const name = canonicalName(String(answer.name ?? '.'));
  const ttl = 'ttl' in answer && typeof answer.ttl === 'number' ? answer.ttl : 0;
  const type = String(answer.type);
  const data: unknown = 'data' in answer ? answer.data : undefined;
  try {
    switch (type) {
      case 'A':
      case 'AAAA':
        if (typeof data === 'string') return { name, type, ttl, data: data.toLowerCase() };
        break;
      case 'CNAME':
      case 'PTR':
      case 'NS':
        if (typeof data === 'string') return { name, type, ttl, data: canonicalName(data) };
        break;
      case 'SRV': {
        const srv = toSrvData(data);
        if (srv) return { name, type, ttl, data: srv };
        break;
      }
      case 'SOA': {
        const soa = toSoaData(data);
        if (soa) return { name, type, ttl, data: soa };
        break;
      }
      case 'TXT':
        return { name, type, ttl, data: toTxtStrings(data) };
    }
    return { name, type: 'OTHER', ttl, rrtype: rrtypeName(type), data: renderData(data) };
  } catch {
    return { name, type: 'OTHER', ttl, rrtype: rrtypeName(type), data: '(unreadable record data)' };
  }
}

/** RFC 3597 spells types dns-packet does not know as TYPEnnn. */
function rrtypeName(type: string): string {
  const unknown = /^UNKNOWN_(\d+)$/.exec(type);
  return unknown ? `TYPE${unknown[1]}` : type;
}

function isRecordObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && !Array.isArray(value);
}

function toSrvData(data: unknown): SrvData | undefined {
  if (!isRecordObject(data) || typeof data.target !== 'string' || typeof data.port !== 'number') return undefined;
  return {
    priority: typeof data.priority === 'number' ? data.priority : 0,
    weight: typeof data.weight === 'number' ? data.weight : 0,
    port: data.port,
    target: canonicalName(data.target),
  };
}

function toSoaData(data: unknown): SoaData | undefined {
  if (!isRecordObject(data) || typeof data.mname !== 'string' || typeof data.rname !== 'string') return undefined;
  const field = (key: string): number => (typeof data[key] === 'number' ? (data[key] as number) : 0);
  return {
    mname: canonicalName(data.mname),
    rname: canonicalName(data.rname),
    serial: field('serial'),
    refresh: field('refresh'),
    retry: field('retry'),
    expire: field('expire'),
    minimum: field('minimum'),
  };
}

function toTxtStrings(data: unknown): string[] {
  const parts = Array.isArray(data) ? data : [data];
  return parts.map((part) => (Buffer.isBuffer(part) ? part.toString('utf8') : String(part ?? '')));
}

/** A one-line presentation of record data dns-packet decoded into some shape we do not model. */
export function renderData(data: unknown): string {
  if (data === undefined || data === null) return '';
  if (Buffer.isBuffer(data)) {
    // RFC 3597 generic rdata: "\# <length> <hex>".
    return data.length === 0 ? '\\# 0' : `\\# ${data.length} ${data.toString('hex')}`;
  }
  if (typeof data === 'string' || typeof data === 'number' || typeof data === 'boolean') return String(data);
  if (Array.isArray(data)) return data.map((item) => renderData(item)).join(' ');
  if (isRecordObject(data)) {
    if (typeof data.exchange === 'string') {
      return `${typeof data.preference === 'number' ? data.preference : 0} ${canonicalName(data.exchange)}`;
    }
    return Object.entries(data)
      .map(([key, value]) => `${key}=${renderData(value)}`)
      .join(' ');
  }
  return String(data);
}
