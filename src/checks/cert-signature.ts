// cert-signature: no certificate the peer sends is signed with SHA-1 or MD5; RSASSA-PSS signatures
// are a warning.
//
// A self-signed root's own signature is exempt: a trust anchor is trusted because it is in the
// store, not because of its signature, which path validation never checks (RFC 5280 §6.1).
import type { Finding } from '../model/findings.js';
import type { CertificateInfo, TlsProbeObservation } from '../model/observations.js';
import { CERTIFICATE_PREREQUISITE_CODES, certificateLabel, describeChainElement, judgeEachCertificate, type ChainElementRole } from './shared/certificates.js';
import { chainRemediation, judgeChain, type ElementJudgement } from './shared/chain.js';
import { findingBuilder } from './shared/findings.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

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

const meta = {
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
  codes: {
    pass: { status: 'pass', summary: 'No certificate in the chain is signed with SHA-1, MD5 or RSASSA-PSS.' },
    'weak-hash': { status: 'fail', summary: 'A certificate is signed with SHA-1 or MD5.' },
    'rsassa-pss': { status: 'warn', summary: 'A certificate is signed with RSASSA-PSS, which Skype for Business Server does not support.' },
    unreadable: { status: 'warn', summary: "A certificate's signature algorithm could not be read." },
    ...CERTIFICATE_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

type SignatureProblem = 'weak-hash' | 'rsassa-pss' | 'unreadable';

interface SignatureJudgement extends ElementJudgement {
  algorithm: string;
  problem?: SignatureProblem;
  /** "SHA-1", "MD5", … for weak-hash. */
  hash?: string;
  /** True for a self-signed root whose own signature is not judged. */
  exempt: boolean;
}

/** The weak hash a signature algorithm uses, by OID first and by name for parsers that give only a name. */
function weakSignatureHash(certificate: Pick<CertificateInfo, 'signatureAlgorithm' | 'signatureAlgorithmOid'>): string | undefined {
  const byOid = WEAK_SIGNATURE_OIDS[certificate.signatureAlgorithmOid];
  if (byOid) return byOid;
  const name = certificate.signatureAlgorithm;
  const md = /md([245])/i.exec(name);
  if (md) return `MD${md[1]}`;
  if (/sha-?1(?!\d)/i.test(name)) return 'SHA-1';
  return undefined;
}

function isRsassaPss(certificate: Pick<CertificateInfo, 'signatureAlgorithm' | 'signatureAlgorithmOid'>): boolean {
  return certificate.signatureAlgorithmOid === RSASSA_PSS_OID || /pss/i.test(certificate.signatureAlgorithm);
}

function judgeSignature(chain: readonly CertificateInfo[], index: number, element: ChainElementRole): SignatureJudgement {
  const certificate = chain[index]!;
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
  const judgement = judgeChain(chain, judgeSignature);
  const { elements, worst, problems } = judgement;
  const weakRoot = elements
    .filter((element) => element.exempt)
    .map((element) => chain[element.index]!)
    .find((root) => weakSignatureHash(root) !== undefined);
  const rootNote = weakRoot
    ? ` The root ${certificateLabel(weakRoot)} signs itself with ${weakSignatureHash(weakRoot)}, which is harmless: a root is trusted because it is in the trust store, and its own signature is never checked.`
    : '';
  const data = {
    signatures: elements.map((element) => ({
      element: element.element,
      algorithm: element.algorithm,
      status: element.status,
      ...(element.exempt ? { exempt: true } : {}),
    })),
  };
  if (worst.problem === undefined) {
    const judged = elements.filter((element) => !element.exempt);
    const algorithms = [...new Set(judged.map((element) => element.algorithm))].join(', ');
    return found.pass('pass', subject, `The certificates ${subject} sends are signed with ${algorithms}.${rootNote}`, { data });
  }
  const remediation = chainRemediation(context.target, judgement, {
    partner: 'serve a certificate and chain signed with SHA-256 (RSA PKCS#1 v1.5 or ECDSA).',
    leaf: `Have the certificate for ${probe.host} reissued with a SHA-256 signature (sha256WithRSAEncryption or ecdsa-with-SHA256, not RSASSA-PSS) and install it on every Expressway-E peer.`,
    intermediate: "Replace the intermediate in the chain the Expressway-E sends with the CA's SHA-256 (PKCS#1 v1.5 or ECDSA) intermediate.",
  });
  const sentences = problems.map((element) => describeProblem(chain, element));
  return found.as(worst.problem, subject, `On ${subject}, ${sentences.join('; ')}.${rootNote}`, { data, remediation });
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachCertificate(context, found, (probe, subject) => judgeSignatures(context, probe, subject));
  },
};
