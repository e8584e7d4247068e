// cert-key: every certificate the peer sends has a public key Microsoft's edge accepts and that
// is strong enough: RSA ≥ 2048 bits, ECDSA ≥ 256 bits on a NIST curve.
//
// EdDSA (Ed25519, Ed448) and DSA keys fail: Skype for Business Server and Microsoft's edges do not
// accept them for TLS, and public CAs do not issue them (CA/Browser Forum Baseline Requirements
// §6.1.5 allow only RSA and ECDSA P-256/P-384/P-521). RSA-PSS-only keys are a warning, like
// RSASSA-PSS signatures (cert-signature): Skype for Business Server does not support them. A key
// type the parser could not identify is a warning with the reason, not an error: a key nobody
// can identify is itself the problem to look at.
import { STATUS_RANK, type Finding, type Status } from '../model/findings.js';
import type { CertificateInfo, TlsProbeObservation } from '../model/observations.js';
import { askPartner, isPartner } from './support.js';
import type { Check, CheckContext, CheckMeta } from './types.js';
import { tlsFinding } from './tls-connect.js';
import { chainElementRole, describeChainElement, judgeEachCertificate, type ChainElementRole } from './tls-handshake.js';

export const MIN_RSA_BITS = 2048;
export const MIN_EC_BITS = 256;
const NIST_CURVES = new Set(['prime256v1', 'secp256r1', 'p-256', 'secp384r1', 'p-384', 'secp521r1', 'p-521']);

const meta: CheckMeta = {
  id: 'cert-key',
  title: 'Certificate keys strong enough and of a supported type',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule:
    'Every certificate the peer sends has an RSA key of at least 2048 bits or an ECDSA key of at least 256 bits on a NIST curve. Ed25519, Ed448 and DSA keys fail: Skype for Business does not support them.',
  impact:
    "Microsoft's edge rejects weak or unsupported keys during the TLS handshake, and public CAs no longer issue them: federation fails.",
  source: 'CA/Browser Forum Baseline Requirements §6.1.5 (key sizes and algorithms); NIST SP 800-131A; Microsoft Skype for Business Server certificate requirements',
  remediation: 'Reissue the certificate with an RSA 2048-bit (or larger) or ECDSA P-256/P-384 key.',
};

interface KeyJudgement {
  element: ChainElementRole;
  index: number;
  status: Status;
  summary: string;
  problem?: string;
}

function keySummary(certificate: CertificateInfo): string {
  const bits = certificate.keyBits !== undefined ? ` ${certificate.keyBits}-bit` : '';
  switch (certificate.keyType) {
    case 'rsa':
      return `RSA${bits}`;
    case 'rsa-pss':
      return `RSA-PSS${bits}`;
    case 'ec':
      return `ECDSA${bits}${certificate.curve ? ` (${certificate.curve})` : ''}`;
    case 'ed25519':
      return 'Ed25519';
    case 'ed448':
      return 'Ed448';
    case 'dsa':
      return `DSA${bits}`;
    default:
      return 'an unidentified key type';
  }
}

function judgeKey(chain: readonly CertificateInfo[], index: number): KeyJudgement {
  const certificate = chain[index]!;
  const base = { element: chainElementRole(chain, index), index, summary: keySummary(certificate) };
  const bits = certificate.keyBits;
  switch (certificate.keyType) {
    case 'rsa':
    case 'rsa-pss': {
      if (bits === undefined) return { ...base, status: 'warn', problem: 'its RSA key size could not be read' };
      if (bits < MIN_RSA_BITS) return { ...base, status: 'fail', problem: `its RSA key has ${bits} bits, below the ${MIN_RSA_BITS}-bit minimum` };
      if (certificate.keyType === 'rsa-pss') {
        return { ...base, status: 'warn', problem: 'its key is restricted to RSASSA-PSS (id-RSASSA-PSS), which Skype for Business Server does not support' };
      }
      return { ...base, status: 'pass' };
    }
    case 'ec': {
      if (bits === undefined) return { ...base, status: 'warn', problem: 'its EC key size could not be read' };
      if (bits < MIN_EC_BITS) return { ...base, status: 'fail', problem: `its EC key has ${bits} bits, below the ${MIN_EC_BITS}-bit minimum` };
      if (certificate.curve !== undefined && !NIST_CURVES.has(certificate.curve.toLowerCase())) {
        return {
          ...base,
          status: 'warn',
          problem: `its curve ${certificate.curve} is not one of the NIST curves (P-256, P-384, P-521) that public CAs issue and every TLS peer supports`,
        };
      }
      return { ...base, status: 'pass' };
    }
    case 'ed25519':
    case 'ed448':
      return {
        ...base,
        status: 'fail',
        problem: `its ${base.summary} key is not supported for TLS by Skype for Business Server or Microsoft's edges, and public CAs do not issue EdDSA certificates`,
      };
    case 'dsa':
      return {
        ...base,
        status: 'fail',
        problem: 'its DSA key cannot be used with TLS 1.3, is not accepted by Microsoft\'s edges and is no longer issued by any public CA',
      };
    default:
      return {
        ...base,
        status: 'warn',
        problem: `fedcheck could not identify its public key algorithm${certificate.parseError ? ` (${certificate.parseError})` : ''}; Microsoft's edges accept only RSA and ECDSA keys`,
      };
  }
}

function judgeKeys(context: CheckContext, probe: TlsProbeObservation, subject: string): Finding {
  const chain = probe.chain;
  const judgements = chain.map((_, index) => judgeKey(chain, index));
  const worst = judgements.reduce((a, b) => (STATUS_RANK[b.status] > STATUS_RANK[a.status] ? b : a));
  const data = {
    keys: judgements.map((judgement) => {
      const certificate = chain[judgement.index]!;
      return {
        element: judgement.element,
        keyType: certificate.keyType,
        ...(certificate.keyBits !== undefined ? { keyBits: certificate.keyBits } : {}),
        ...(certificate.curve ? { curve: certificate.curve } : {}),
        status: judgement.status,
      };
    }),
  };
  if (worst.status === 'pass') {
    const keys = judgements.map((judgement) => `${judgement.element} ${judgement.summary}`).join(', ');
    return tlsFinding(meta, 'pass', subject, `The certificates ${subject} sends have adequate keys: ${keys}.`, { data });
  }
  const problems = judgements
    .filter((judgement) => judgement.status !== 'pass')
    .sort((a, b) => STATUS_RANK[b.status] - STATUS_RANK[a.status])
    .map((judgement) => `${describeChainElement(chain, judgement.index)}: ${judgement.problem}`);
  const leafAffected = judgements.some((judgement) => judgement.element === 'leaf' && judgement.status === worst.status);
  let remediation: string;
  if (isPartner(context.target)) {
    remediation = askPartner(context.target.domain, 'reissue the affected certificate with an RSA 2048-bit or ECDSA P-256/P-384 key.');
  } else if (leafAffected) {
    remediation = `Generate a new RSA 2048-bit (or larger) or ECDSA P-256 key and certificate request for ${probe.host} on the Expressway-E (Maintenance > Security > Server certificate), have it issued, and install it on every peer.`;
  } else {
    remediation = 'Serve the CA\'s current intermediate certificate (RSA 2048+ or ECDSA P-256/P-384) in the chain instead of the weak one; if the CA has none, move to a CA that does.';
  }
  return tlsFinding(meta, worst.status, subject, `On ${subject}, ${problems.join('; ')}.`, { data, remediation });
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachCertificate(context, meta, (probe, subject) => judgeKeys(context, probe, subject));
  },
};
