// The TLS and certificate checks, in the order reports list them: reachability first, then the
// handshake, then what the certificate says, then the cross-peer and mutual-TLS views.
import type { Check } from './types.js';
import { check as tlsConnect } from './tls-connect.js';
import { check as tlsHandshake } from './tls-handshake.js';
import { check as tlsVersion } from './tls-version.js';
import { check as certTrust } from './cert-trust.js';
import { check as certValidity } from './cert-validity.js';
import { check as certName } from './cert-name.js';
import { check as certEku } from './cert-eku.js';
import { check as certKey } from './cert-key.js';
import { check as certSignature } from './cert-signature.js';
import { check as certCrl } from './cert-crl.js';
import { check as certConsistent } from './cert-consistent.js';
import { check as tlsClientAuth } from './tls-client-auth.js';

export const TLS_CHECKS: Check[] = [
  tlsConnect,
  tlsHandshake,
  tlsVersion,
  certTrust,
  certValidity,
  certName,
  certEku,
  certKey,
  certSignature,
  certCrl,
  certConsistent,
  tlsClientAuth,
];
