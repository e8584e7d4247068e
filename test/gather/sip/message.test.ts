import { describe, expect, it } from 'vitest';
import {
  MAX_HEAD_BYTES,
  canonicalHeaderName,
  completeStatusLine,
  headerValue,
  parseSipResponse,
  readMessageHead,
  responseStart,
} from '../../../src/gather/sip/message.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const crlf = (...lines: string[]): Buffer => bytes(`${lines.join('\r\n')}\r\n\r\n`);

const OK = crlf(
  'SIP/2.0 200 OK',
  'Via: SIP/2.0/TLS 192.0.2.99:40000;rport=40000;branch=z9hG4bKabc;received=192.0.2.99',
  'From: <sip:fedcheck@fedcheck.invalid>;tag=1234',
  'To: <sip:example.com>;tag=5678',
  'Call-ID: abc@fedcheck',
  'CSeq: 1 OPTIONS',
  'Server: Cisco-Expressway/X15.0',
  'Content-Length: 0',
);

describe('parseSipResponse', () => {
  it('reads the status line, code, reason and headers of a complete response', () => {
    const response = parseSipResponse(OK);
    expect(response).toMatchObject({ statusLine: 'SIP/2.0 200 OK', statusCode: 200, reason: 'OK' });
    expect(response?.headers.server).toEqual(['Cisco-Expressway/X15.0']);
    expect(response?.headers['call-id']).toEqual(['abc@fedcheck']);
    expect(response?.headers.cseq).toEqual(['1 OPTIONS']);
    expect(response?.headers['content-length']).toEqual(['0']);
  });

  it('keeps multi-word reason phrases and accepts an empty one', () => {
    expect(parseSipResponse(crlf('SIP/2.0 488 Not Acceptable Here', 'Content-Length: 0'))?.reason).toBe('Not Acceptable Here');
    expect(parseSipResponse(crlf('SIP/2.0 200', 'Content-Length: 0'))).toMatchObject({ statusCode: 200, reason: '' });
  });

  it('matches header names case-insensitively', () => {
    const response = parseSipResponse(crlf('SIP/2.0 200 OK', 'SERVER: upper', 'user-AGENT: mixed', 'Content-length: 0'));
    expect(response?.headers.server).toEqual(['upper']);
    expect(response?.headers['user-agent']).toEqual(['mixed']);
    expect(response?.headers['content-length']).toEqual(['0']);
  });

  it('accepts the SIP version in any case (RFC 3261 §7.1)', () => {
    expect(parseSipResponse(crlf('sip/2.0 404 Not Found'))?.statusCode).toBe(404);
  });

  it('expands compact header names (RFC 3261 §7.3.3)', () => {
    const response = parseSipResponse(
      crlf('SIP/2.0 200 OK', 'v: SIP/2.0/TLS 192.0.2.99:1;branch=z9hG4bKx', 'f: <sip:a@b>;tag=1', 't: <sip:c>', 'i: id@x', 'm: <sip:d@e>', 'l: 0', 'k: path'),
    );
    expect(response?.headers).toMatchObject({
      via: ['SIP/2.0/TLS 192.0.2.99:1;branch=z9hG4bKx'],
      from: ['<sip:a@b>;tag=1'],
      to: ['<sip:c>'],
      'call-id': ['id@x'],
      contact: ['<sip:d@e>'],
      'content-length': ['0'],
      supported: ['path'],
    });
  });

  it('unfolds continuation lines (RFC 3261 §7.3.1), with spaces or tabs', () => {
    const response = parseSipResponse(crlf('SIP/2.0 200 OK', 'Server: Example', '   SIP Server', '\tv2', 'Allow: INVITE,', ' OPTIONS'));
    expect(response?.headers.server).toEqual(['Example SIP Server v2']);
    expect(response?.headers.allow).toEqual(['INVITE, OPTIONS']);
  });

  it('keeps repeated headers in order, each value once', () => {
    const response = parseSipResponse(crlf('SIP/2.0 200 OK', 'Via: first', 'v: second', 'Via: third'));
    expect(response?.headers.via).toEqual(['first', 'second', 'third']);
    expect(headerValue(response?.headers ?? {}, 'v')).toBe('first');
  });

  it('ignores CRLF keep-alives before the status line (RFC 3261 §7.5)', () => {
    expect(parseSipResponse(Buffer.concat([bytes('\r\n\r\n'), OK]))?.statusCode).toBe(200);
  });

  it('reads a sloppy peer that ends lines with a bare LF', () => {
    const response = parseSipResponse(bytes('SIP/2.0 200 OK\nServer: sloppy\nContent-Length: 0\n\n'));
    expect(response).toMatchObject({ statusCode: 200, headers: { server: ['sloppy'] } });
  });

  it('skips header lines without a name', () => {
    const response = parseSipResponse(crlf('SIP/2.0 200 OK', 'no colon here', ': no name', 'Server: kept'));
    expect(response?.headers).toEqual({ server: ['kept'] });
  });

  it('returns undefined until the head is complete', () => {
    const text = OK.toString('utf8');
    for (const cut of [0, 5, 20, text.length - 3, text.length - 1]) {
      expect(parseSipResponse(bytes(text.slice(0, cut))), `cut at ${cut}`).toBeUndefined();
    }
  });

  it('returns undefined for what is not a SIP response', () => {
    for (const text of [
      'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n',
      'OPTIONS sip:example.com SIP/2.0\r\nContent-Length: 0\r\n\r\n',
      'SIP/2.0 abc Bad\r\n\r\n',
      'SIP/2.0 700 Out Of Range\r\n\r\n',
      'SIP/2.0 20 Short\r\n\r\n',
      'SIP/3.0 200 OK\r\n\r\n',
    ]) {
      expect(parseSipResponse(bytes(text)), text).toBeUndefined();
    }
    expect(parseSipResponse(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x02, 0x0d, 0x0a, 0x0d, 0x0a]))).toBeUndefined();
  });
});

describe('responseStart', () => {
  it('waits while the bytes could still become a status line', () => {
    for (const text of ['', '\r\n', 'S', 'SIP/2', 'SIP/2.0 ', 'SIP/2.0 200 O']) expect(responseStart(bytes(text)), text).toBe('incomplete');
  });

  it('says sip once a status line is complete', () => {
    expect(responseStart(bytes('SIP/2.0 100 Trying\r\n'))).toBe('sip');
    expect(responseStart(bytes('\r\nSIP/2.0 200 OK\r\nServer: x'))).toBe('sip');
  });

  it('says not-sip at the first byte that cannot be SIP', () => {
    expect(responseStart(bytes('H'))).toBe('not-sip');
    expect(responseStart(bytes('HTTP/1.1 400 Bad Request\r\n'))).toBe('not-sip');
    expect(responseStart(Buffer.from([0x00, 0xff]))).toBe('not-sip');
    expect(responseStart(bytes('SIP/2.0 OK 200\r\n'))).toBe('not-sip');
    expect(responseStart(bytes('SIPX'))).toBe('not-sip');
  });

  it('gives up on a first line longer than any head may be', () => {
    expect(responseStart(bytes(`SIP/2.0 200 ${'x'.repeat(MAX_HEAD_BYTES + 1)}`))).toBe('not-sip');
  });
});

describe('completeStatusLine', () => {
  it('reads the status line before the headers are complete', () => {
    expect(completeStatusLine(bytes('SIP/2.0 180 Ringing\r\nVia: x'))).toEqual({ statusLine: 'SIP/2.0 180 Ringing', statusCode: 180, reason: 'Ringing' });
    expect(completeStatusLine(bytes('SIP/2.0 180 Ring'))).toBeUndefined();
  });
});

describe('readMessageHead', () => {
  it('reads a request head with its length and Content-Length', () => {
    const head = crlf('OPTIONS sip:example.com SIP/2.0', 'l: 5');
    const reading = readMessageHead(Buffer.concat([head, bytes('hello')]));
    expect(reading).toMatchObject({ kind: 'complete', head: { startLine: 'OPTIONS sip:example.com SIP/2.0', headLength: head.length, bodyLength: 5 } });
  });

  it('counts skipped keep-alive CRLFs in the head length', () => {
    const reading = readMessageHead(Buffer.concat([bytes('\r\n\r\n'), OK]));
    expect(reading.kind === 'complete' && reading.head.headLength).toBe(OK.length + 4);
  });

  it('treats an unreadable Content-Length as zero', () => {
    for (const value of ['-1', 'ten', '99999999999']) {
      const reading = readMessageHead(crlf('SIP/2.0 200 OK', `Content-Length: ${value}`));
      expect(reading.kind === 'complete' && reading.head.bodyLength, value).toBe(0);
    }
  });

  it('stops at the bound when no blank line comes', () => {
    expect(readMessageHead(bytes(`SIP/2.0 200 OK\r\nX: ${'a'.repeat(MAX_HEAD_BYTES)}`))).toEqual({ kind: 'too-large' });
    expect(readMessageHead(crlf('SIP/2.0 200 OK', `X: ${'a'.repeat(2000)}`), 1000)).toEqual({ kind: 'too-large' });
  });

  it('names headers by their long form', () => {
    expect(canonicalHeaderName(' V ')).toBe('via');
    expect(canonicalHeaderName('Call-ID')).toBe('call-id');
    expect(canonicalHeaderName('X-Custom')).toBe('x-custom');
  });
});
