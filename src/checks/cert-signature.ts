// cert-signature: no certificate the peer sends is signed with SHA-1 or MD5; RSASSA-PSS signatures
// are a warning.
//
// A self-signed root's own signature is exempt: a trust anchor is trusted because it is in the
// store, not because of its signature, which path validation never checks (RFC 5280 §6.1).
import { STATUS_RANK, type Finding, type Status } from '../model/findings.js';
import type { CertificateInfo, TlsProbeObservation } from '../model/observations.js';
import { askPartner, isPartner } from './support.js';
import type { Check, CheckContext, CheckMeta } from './types.js';
import { tlsFinding } from './tls-connect.js';
import {
  certificateLabel,
  chainElementRole,
  describeChainElement,
  judgeEachCertificate,
  type ChainElementRole,
} from './tls-handshake.js';

const WEAK_SIGNATURE_OIDS: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'MD2',
  '1.2.840.113549.1.1.3': 'MD4',
  '1.2.840.113549.1.1.4': 'MD5',
  '1.3.14.3.2.3': 'MD5',
  '1.2.840.113549.1.1.5': 'SHA-1',
  '1.3.14.3.2.29': 'SHA-1',
  '1.2.840.10045.4.1': 'SHA-1',
  '1.2.840.10040.4.3': 'SHA-1',
  '1.3.14.3.2.27': 'SHA-1',
};
const RSASSA_PSS_OID = '1.2.840.113549.1.1.10';

const meta: CheckMeta = {
  id: 'cert-signature',
  title: 'No SHA-1 or MD5 signatures in the chain',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule:
    'No certificate the peer sends is signed with SHA-1 or MD5 (a self-signed root\'s own signature is exempt: it is never verified). RSASSA-PSS signatures are a warning: Skype for Business Server does not support them.',
  impact:
    "Microsoft's edge (Windows) no longer accepts SHA-1 or MD5 signatures in a TLS certificate chain, and Skype for Business Server cannot validate RSASSA-PSS signatures: the TLS connection fails.",
  source: 'RFC 6194 and RFC 9155 (SHA-1 and MD5 deprecated in TLS signatures); RFC 5280 §6.1 (trust anchors are not verified); CA/Browser Forum Baseline Requirements §7.1.3.2',
  remediation: 'Reissue the certificate signed with SHA-256 (sha256WithRSAEncryption or ecdsa-with-SHA256) and serve the CA\'s SHA-256 intermediate.',
};

export type SignatureProblem = 'weak-hash' | 'rsassa-pss' | 'unreadable';

export interface SignatureJudgement {
  element: ChainElementRole;
  index: number;
  algorithm: string;
  status: Status;
  problem?: SignatureProblem;
  /** "SHA-1", "MD5", … for weak-hash. */
  hash?: string;
  /** True for a self-signed root whose own signature is not judged. */
  exempt: boolean;
}

/** The weak hash a signature algorithm uses, by OID first and by name for parsers that give only a name. */
export function weakSignatureHash(certificate: Pick<CertificateInfo, 'signatureAlgorithm' | 'signatureAlgorithmOid'>): string | undefined {
  const byOid = WEAK_SIGNATURE_OIDS[certificate.signatureAlgorithmOid];
  if (byOid) return byOid;
  const name = certificate.signatureAlgorithm;
  const md = /md([245])/i.exec(name);
  if (md) return `MD${md[1]}`;
  if (/sha-?1(?!\d)/i.test(name)) return 'SHA-1';
  return undefined;
}

export function isRsassaPss(certificate: Pick<CertificateInfo, 'signatureAlgorithm' | 'signatureAlgorithmOid'>): boolean {
  return certificate.signatureAlgorithmOid === RSASSA_PSS_OID || /pss/i.test(certificate.signatureAlgorithm);
}

export function judgeSignature(chain: readonly CertificateInfo[], index: number): SignatureJudgement {
  const certificate = chain[index]!;
  const element = chainElementRole(chain, index);
  const algorithm = certificate.signatureAlgorithm || certificate.signatureAlgorithmOid || 'unknown';
  const base = { element, index, algorithm };
  if (element === 'root') return { ...base, status: 'pass', exempt: true };
  if (!certificate.signatureAlgorithm && !certificate.signatureAlgorithmOid) {
    return { ...base, status: 'warn', problem: 'unreadable', exempt: false };
  }
  const hash = weakSignatureHash(certificate);
  if (hash) return { ...base, status: 'fail', problem: 'weak-hash', hash, exempt: false };
  if (isRsassaPss(certificate)) return { ...base, status: 'warn', problem: 'rsassa-pss', exempt: false };
  return { ...base, status: 'pass', exempt: false };
}

function describeProblem(chain: readonly CertificateInfo[], judgement: SignatureJudgement): string {
  const who = describeChainElement(chain, judgement.index);
  switch (judgement.problem) {
    case 'weak-hash':
      return `${who} is signed with ${judgement.hash} (${judgement.algorithm}), which Microsoft's edge rejects`;
    case 'rsassa-pss':
      return `${who} is signed with RSASSA-PSS, which Skype for Business Server does not support`;
    default: {
      const parseError = chain[judgement.index]?.parseError;
      return `${who} has a signature algorithm that could not be read${parseError ? ` (${parseError})` : ''}`;
    }
  }
}

function judgeSignatures(context: CheckContext, probe: TlsProbeObservation, subject: string): Finding {
  const chain = probe.chain;
  const judgements = chain.map((_, index) => judgeSignature(chain, index));
  const worst = judgements.reduce((a, b) => (STATUS_RANK[b.status] > STATUS_RANK[a.status] ? b : a));
  const exemptRoots = judgements.filter((judgement) => judgement.exempt);
  const weakRoots = exemptRoots.filter((judgement) => weakSignatureHash(chain[judgement.index]!) !== undefined);
  const weakRoot = weakRoots[0] === undefined ? undefined : chain[weakRoots[0].index];
  const rootNote = weakRoot
    ? ` The root ${certificateLabel(weakRoot)} signs itself with ${weakSignatureHash(weakRoot)}, which is harmless: a root is trusted because it is in the trust store, and its own signature is never checked.`
    : '';
  const data = {
    signatures: judgements.map((judgement) => ({
      element: judgement.element,
      algorithm: judgement.algorithm,
      status: judgement.status,
      ...(judgement.exempt ? { exempt: true } : {}),
    })),
  };
  if (worst.status === 'pass') {
    const judged = judgements.filter((judgement) => !judgement.exempt);
    const algorithms = [...new Set(judged.map((judgement) => judgement.algorithm))].join(', ');
    return tlsFinding(meta, 'pass', subject, `The certificates ${subject} sends are signed with ${algorithms}.${rootNote}`, { data });
  }
  const problems = judgements
    .filter((judgement) => judgement.status !== 'pass')
    .sort((a, b) => STATUS_RANK[b.status] - STATUS_RANK[a.status])
    .map((judgement) => describeProblem(chain, judgement));
  const leafAffected = judgements.some((judgement) => judgement.element === 'leaf' && judgement.status === worst.status);
  let remediation: string;
  if (isPartner(context.target)) {
    remediation = askPartner(context.target.domain, 'serve a certificate and chain signed with SHA-256 (RSA PKCS#1 v1.5 or ECDSA).');
  } else if (leafAffected) {
    remediation = `Have the certificate for ${probe.host} reissued with a SHA-256 signature (sha256WithRSAEncryption or ecdsa-with-SHA256, not RSASSA-PSS) and install it on every Expressway-E peer.`;
  } else {
    remediation = 'Replace the intermediate in the chain the Expressway-E sends with the CA\'s SHA-256 (PKCS#1 v1.5 or ECDSA) intermediate.';
  }
  return tlsFinding(meta, worst.status, subject, `On ${subject}, ${problems.join('; ')}.${rootNote}`, { data, remediation });
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachCertificate(context, meta, (probe, subject) => judgeSignatures(context, probe, subject));
  },
};
