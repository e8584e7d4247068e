import { describe, expect, it } from 'vitest';
import { describeError, socketErrorKind } from '../../src/gather/socket-errors.js';

const errno = (code: string, message = `connect ${code} 192.0.2.1:5061`) => Object.assign(new Error(message), { code });

describe('socketErrorKind', () => {
  it.each([
    ['ECONNREFUSED', 'refused'],
    ['ECONNRESET', 'reset'],
    ['EPIPE', 'reset'],
    ['EHOSTUNREACH', 'unreachable'],
    ['ENETUNREACH', 'unreachable'],
    ['ENETDOWN', 'unreachable'],
    ['EHOSTDOWN', 'unreachable'],
    ['EADDRNOTAVAIL', 'unreachable'],
    ['EAFNOSUPPORT', 'unreachable'],
    ['ETIMEDOUT', 'timeout'],
    ['EPERM', 'other'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'other'],
  ])('%s is %s', (code, kind) => {
    expect(socketErrorKind(errno(code))).toBe(kind);
  });

  it('calls what is not an errno error "other"', () => {
    expect(socketErrorKind(new Error('plain'))).toBe('other');
    expect(socketErrorKind('a string')).toBe('other');
    expect(socketErrorKind(undefined)).toBe('other');
  });
});

describe('describeError', () => {
  it("keeps Node's message when it already names the code", () => {
    expect(describeError(errno('ECONNREFUSED'))).toBe('connect ECONNREFUSED 192.0.2.1:5061');
  });

  it('adds the code when the message does not name it', () => {
    expect(describeError(errno('EPIPE', 'write after end'))).toBe('write after end (EPIPE)');
  });

  it("keeps OpenSSL's reason without its prefix", () => {
    const error = errno(
      'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
      'C0D7B3A2E37F0000:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:../deps/openssl/ssl/record/rec_layer_s3.c:1605:SSL alert number 40\n',
    );
    expect(describeError(error)).toBe('sslv3 alert handshake failure (ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE)');
  });

  it('keeps one line of a multi-line message', () => {
    expect(describeError(new Error('first line\nsecond line'))).toBe('first line');
  });

  it('renders what is not an Error as text', () => {
    expect(describeError('boom')).toBe('boom');
    expect(describeError(42)).toBe('42');
  });
});
