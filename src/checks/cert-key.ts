// cert-key: every certificate the peer sends has a public key Microsoft's edge accepts and that
// is strong enough: RSA ≥ 2048 bits, ECDSA ≥ 256 bits on a NIST curve.
//
// EdDSA (Ed25519, Ed448) and DSA keys fail: Skype for Business Server and Microsoft's edges do not
// accept them for TLS, and public CAs do not issue them (CA/Browser Forum Baseline Requirements
// §6.1.5 allow only RSA and ECDSA P-256/P-384/P-521). RSA-PSS-only keys are a warning, like
// RSASSA-PSS signatures (cert-signature): Skype for Business Server does not support them. A key
// type the parser could not identify is a warning with the reason, not an error: a key nobody
// can identify is itself the problem to look at.
import type { Finding } from '../model/findings.js';
import type { CertificateInfo, TlsProbeObservation } from '../model/observations.js';
import { CERTIFICATE_PREREQUISITE_CODES, describeChainElement, judgeEachCertificate, type ChainElementRole } from './shared/certificates.js';
import { chainRemediation, judgeChain, type ElementJudgement } from './shared/chain.js';
import { findingBuilder, type VariantWith } from './shared/findings.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const MIN_RSA_BITS = 2048;
const MIN_EC_BITS = 256;
const NIST_CURVES = new Set(['prime256v1', 'secp256r1', 'p-256', 'secp384r1', 'p-384', 'secp521r1', 'p-521']);

const meta = {
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
  codes: {
    pass: { status: 'pass', summary: 'Every key is RSA ≥ 2048 bits or ECDSA ≥ 256 bits on a NIST curve.' },
    'rsa-too-small': { status: 'fail', summary: 'An RSA key is below 2048 bits.' },
    'ec-too-small': { status: 'fail', summary: 'An EC key is below 256 bits.' },
    eddsa: { status: 'fail', summary: 'An Ed25519 or Ed448 key, which Microsoft does not support for TLS.' },
    dsa: { status: 'fail', summary: 'A DSA key, which Microsoft does not accept.' },
    'rsa-pss': { status: 'warn', summary: 'An RSA key restricted to RSASSA-PSS, which Skype for Business Server does not support.' },
    'non-nist-curve': { status: 'warn', summary: 'An EC key on a curve other than P-256, P-384 or P-521.' },
    'size-unreadable': { status: 'warn', summary: 'The size of an RSA or EC key could not be read.' },
    unidentified: { status: 'warn', summary: 'A key of a type fedcheck could not identify.' },
    ...CERTIFICATE_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

type KeyProblem = VariantWith<typeof meta.codes, 'warn' | 'fail'>;

interface KeyJudgement extends ElementJudgement {
  summary: string;
  problem?: { variant: KeyProblem; text: string };
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

function judgeKey(chain: readonly CertificateInfo[], index: number, element: ChainElementRole): KeyJudgement {
  const certificate = chain[index]!;
  const base = { element, index, summary: keySummary(certificate) };
  const problem = (variant: KeyProblem, text: string): KeyJudgement => ({ ...base, status: meta.codes[variant].status, problem: { variant, text } });
  const bits = certificate.keyBits;
  switch (certificate.keyType) {
    case 'rsa':
    case 'rsa-pss': {
      if (bits === undefined) return problem('size-unreadable', 'its RSA key size could not be read');
      if (bits < MIN_RSA_BITS) return problem('rsa-too-small', `its RSA key has ${bits} bits, below the ${MIN_RSA_BITS}-bit minimum`);
      if (certificate.keyType === 'rsa-pss') {
        return problem('rsa-pss', 'its key is restricted to RSASSA-PSS (id-RSASSA-PSS), which Skype for Business Server does not support');
      }
      return { ...base, status: 'pass' };
    }
    case 'ec': {
      if (bits === undefined) return problem('size-unreadable', 'its EC key size could not be read');
      if (bits < MIN_EC_BITS) return problem('ec-too-small', `its EC key has ${bits} bits, below the ${MIN_EC_BITS}-bit minimum`);
      if (certificate.curve !== undefined && !NIST_CURVES.has(certificate.curve.toLowerCase())) {
        return problem(
          'non-nist-curve',
          `its curve ${certificate.curve} is not one of the NIST curves (P-256, P-384, P-521) that public CAs issue and every TLS peer supports`,
        );
      }
      return { ...base, status: 'pass' };
    }
    case 'ed25519':
    case 'ed448':
      return problem(
        'eddsa',
        `its ${base.summary} key is not supported for TLS by Skype for Business Server or Microsoft's edges, and public CAs do not issue EdDSA certificates`,
      );
    case 'dsa':
      return problem('dsa', 'its DSA key cannot be used with TLS 1.3, is not accepted by Microsoft\'s edges and is no longer issued by any public CA');
    default:
      return problem(
        'unidentified',
        `fedcheck could not identify its public key algorithm${certificate.parseError ? ` (${certificate.parseError})` : ''}; Microsoft's edges accept only RSA and ECDSA keys`,
      );
  }
}

function judgeKeys(context: CheckContext, probe: TlsProbeObservation, subject: string): Finding {
  const chain = probe.chain;
  const judgement = judgeChain(chain, judgeKey);
  const { elements, worst, problems } = judgement;
  const data = {
    keys: elements.map((element) => {
      const certificate = chain[element.index]!;
      return {
        element: element.element,
        keyType: certificate.keyType,
        ...(certificate.keyBits !== undefined ? { keyBits: certificate.keyBits } : {}),
        ...(certificate.curve ? { curve: certificate.curve } : {}),
        status: element.status,
      };
    }),
  };
  if (worst.problem === undefined) {
    const keys = elements.map((element) => `${element.element} ${element.summary}`).join(', ');
    return found.pass('pass', subject, `The certificates ${subject} sends have adequate keys: ${keys}.`, { data });
  }
  const sentences = problems.map((element) => `${describeChainElement(chain, element.index)}: ${element.problem!.text}`);
  const remediation = chainRemediation(context.target, judgement, {
    partner: 'reissue the affected certificate with an RSA 2048-bit or ECDSA P-256/P-384 key.',
    leaf: `Generate a new RSA 2048-bit (or larger) or ECDSA P-256 key and certificate request for ${probe.host} on the Expressway-E (Maintenance > Security > Server certificate), have it issued, and install it on every peer.`,
    intermediate: "Serve the CA's current intermediate certificate (RSA 2048+ or ECDSA P-256/P-384) in the chain instead of the weak one; if the CA has none, move to a CA that does.",
  });
  return found.as(worst.problem.variant, subject, `On ${subject}, ${sentences.join('; ')}.`, { data, remediation });
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachCertificate(context, found, (probe, subject) => judgeKeys(context, probe, subject));
  },
};
