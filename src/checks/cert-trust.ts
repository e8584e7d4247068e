// cert-trust: the chain the peer sends validates to a trusted root.
//
// Dates are cert-validity's business. When the verdict is 'expired' or 'not-yet-valid', this
// check reports 'info' rather than failing a second time: Node's verifier (OpenSSL) checks
// validity periods only after it has built the path to a trusted anchor and checked trust, so
// such a verdict says the path itself is sound; cert-validity fails on the dates.
import type { Finding } from '../model/findings.js';
import type { CertificateInfo, TlsProbeObservation } from '../model/observations.js';
import { askPartner, isPartner } from './support.js';
import type { Check, CheckContext, CheckMeta } from './types.js';
import { judgeEachPeer, tlsFinding } from './tls-connect.js';
import { certificateLabel, certificateUnavailable, serverAnsweredTls } from './tls-handshake.js';

const meta: CheckMeta = {
  id: 'cert-trust',
  title: 'Certificate chain validates to a trusted root',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule:
    'The chain each peer sends validates to a trusted root: the system store plus --ca for your own domains, public trust (the system store) for partners. Self-signed certificates, untrusted roots and chains missing an intermediate fail.',
  impact:
    "Federation is mutual TLS and each edge validates the other's chain. Microsoft's edge drops the connection when the chain does not lead to a root it trusts (Microsoft 365 trusts only public CAs); a missing intermediate fails on every peer that does not happen to have it cached.",
  source: 'RFC 5280 §6 (path validation); RFC 8446 §4.4.2 (the server sends its chain); Cisco TAC 212383 (certificate requirements for federation with Lync/Skype for Business)',
  remediation:
    'Install a certificate from a public CA on the Expressway-E and make it send the complete chain: the leaf and every intermediate up to the root.',
};

/** "CN=sip.example.com → CN=Example Issuing CA", then who issued the last one. */
function chainSummary(chain: readonly CertificateInfo[]): string {
  const last = chain[chain.length - 1];
  const sent = chain.map(certificateLabel).join(' → ');
  return last && !last.selfIssued ? `${sent} (issued by ${last.issuer})` : sent;
}

function trustScope(context: CheckContext): string {
  return isPartner(context.target) ? 'public trust (the system store)' : 'the system store or --ca';
}

function partnerRemediation(context: CheckContext, root: string): string {
  return (
    askPartner(context.target.domain, 'use an edge certificate from a public CA and send its complete chain.') +
    ` If you federate with their private CA on purpose, add its root (${root}) to your Expressway-E's trusted CA list (Maintenance > Security > Trusted CA certificate).`
  );
}

function judgeTrust(context: CheckContext, probe: TlsProbeObservation, subject: string): Finding {
  const chain = probe.chain;
  const leaf = chain[0];
  const trust = probe.trust;
  if (leaf === undefined) {
    if (serverAnsweredTls(probe) && trust?.verdict === 'no-certificate') {
      return tlsFinding(
        meta,
        'fail',
        subject,
        `${subject} completed the TLS handshake without presenting a certificate: Microsoft's edge cannot authenticate it.`,
        { data: { verdict: trust.verdict } },
      );
    }
    return tlsFinding(meta, 'skip', subject, certificateUnavailable(probe) ?? `${subject} sent no certificate, so trust could not be examined.`);
  }
  if (!trust) {
    return tlsFinding(meta, 'error', subject, `No trust verdict was recorded for the chain ${subject} sent (${chainSummary(chain)}).`);
  }
  const last = chain[chain.length - 1]!;
  const data = {
    verdict: trust.verdict,
    detail: trust.detail,
    ...(trust.nodeError ? { nodeError: trust.nodeError } : {}),
    chain: chain.map(certificateLabel),
  };
  const partner = isPartner(context.target);
  const cause = trust.nodeError ? ` (${trust.nodeError})` : '';

  switch (trust.verdict) {
    case 'trusted':
      return tlsFinding(
        meta,
        'pass',
        subject,
        `The chain ${subject} sends validates to a root in ${trustScope(context)}: ${chainSummary(chain)}.`,
        { data },
      );
    case 'self-signed': {
      if (leaf.selfIssued || chain.length === 1) {
        return tlsFinding(
          meta,
          'fail',
          subject,
          `The certificate ${certificateLabel(leaf)} is self-signed (issued by itself)${cause}: no federation partner trusts it, and Microsoft 365 accepts only certificates from public CAs.`,
          {
            data,
            remediation: partner
              ? partnerRemediation(context, certificateLabel(leaf))
              : `Replace the self-signed certificate on the Expressway-E with one issued by a public CA for ${probe.host} (with the complete chain).`,
          },
        );
      }
      return tlsFinding(
        meta,
        'fail',
        subject,
        `The chain ${subject} sends ends at the self-signed root ${certificateLabel(last)}, which is not in ${trustScope(context)}${cause}: ${chainSummary(chain)}. A private CA is trusted by nobody outside your organisation, and Microsoft 365 accepts only public CAs.`,
        {
          data,
          remediation: partner
            ? partnerRemediation(context, certificateLabel(last))
            : `Replace the Expressway-E's certificate with one from a public CA. If ${certificateLabel(last)} is your own CA and only on-premises partners that import it are involved, pass it to fedcheck with --ca.`,
        },
      );
    }
    case 'untrusted-root':
      return tlsFinding(
        meta,
        'fail',
        subject,
        `The chain ${subject} sends leads to ${last.selfIssued ? certificateLabel(last) : last.issuer}, which is not a root in ${trustScope(context)}${cause}: ${chainSummary(chain)}.`,
        {
          data,
          remediation: partner
            ? partnerRemediation(context, last.selfIssued ? certificateLabel(last) : last.issuer)
            : `Use a certificate from a public CA on the Expressway-E (Microsoft 365 accepts only those). If ${last.selfIssued ? certificateLabel(last) : last.issuer} is your own CA and only on-premises partners that import it are involved, pass it to fedcheck with --ca.`,
        },
      );
    case 'incomplete-chain': {
      const missing = last.issuer;
      const what =
        chain.length === 1
          ? `the server sends only the leaf ${certificateLabel(leaf)}; its issuer ${missing}, an intermediate CA, is missing`
          : `the server sends ${chain.length} certificates (${chain.map(certificateLabel).join(' → ')}) but not the issuer of the last one, ${missing}`;
      return tlsFinding(
        meta,
        'fail',
        subject,
        `Incomplete chain on ${subject}: ${what}${cause}. A peer without that intermediate cached cannot build the path to a root.`,
        {
          data: { ...data, missingIssuer: missing },
          remediation: partner
            ? askPartner(context.target.domain, `add the intermediate ${missing} to the chain their edge sends.`)
            : `Add the intermediate ${missing} to the Expressway's server certificate chain (upload it with the server certificate, Maintenance > Security > Server certificate, and to Maintenance > Security > Trusted CA certificate) so that the Expressway-E sends it.`,
        },
      );
    }
    case 'expired':
    case 'not-yet-valid':
      return tlsFinding(
        meta,
        'info',
        subject,
        `The chain ${subject} sends builds to a root in ${trustScope(context)} (${chainSummary(chain)}), but the verifier reports it ${trust.verdict === 'expired' ? 'expired' : 'not yet valid'}${cause}. ` +
          'The verifier checks dates only once the path to a trusted root is built, so the path itself is sound; cert-validity judges the dates.',
        { data },
      );
    case 'no-certificate':
      return tlsFinding(meta, 'error', subject, `The trust verdict says no certificate, yet ${subject} sent ${chain.length}: ${trust.detail}.`, { data });
    default:
      return tlsFinding(
        meta,
        'error',
        subject,
        `Whether the chain ${subject} sends is trusted could not be determined: ${trust.detail}${cause}. Sent chain: ${chainSummary(chain)}.`,
        { data },
      );
  }
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachPeer(context, meta, (probe, subject) => judgeTrust(context, probe, subject));
  },
};
