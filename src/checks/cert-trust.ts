// cert-trust: the chain the peer sends validates to a trusted root.
//
// Dates are cert-validity's business. When the verifier objected to dates only, this check
// reports 'info' rather than failing a second time (see shared/trust.ts).
import type { Finding } from '../model/findings.js';
import type { TlsProbeObservation } from '../model/observations.js';
import { CERTIFICATE_PREREQUISITE_CODES, certificateLabel, chainSummary } from './shared/certificates.js';
import { findingBuilder } from './shared/findings.js';
import { judgeEachPeer } from './shared/peers.js';
import { certificateUnavailable, serverAnsweredTls } from './shared/tls-session.js';
import { readTrust } from './shared/trust.js';
import { askPartner, isPartner } from './shared/wording.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
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
  codes: {
    pass: { status: 'pass', summary: 'The chain validates to a trusted root.' },
    'self-signed': { status: 'fail', summary: 'The certificate is self-signed.' },
    'private-root': { status: 'fail', summary: 'The chain ends at a self-signed root that is not trusted: a private CA.' },
    'untrusted-root': { status: 'fail', summary: 'The chain leads to a CA that is not a trusted root.' },
    'incomplete-chain': { status: 'fail', summary: 'The chain misses an intermediate certificate.' },
    'no-certificate-sent': { status: 'fail', summary: 'The peer completed the handshake without presenting a certificate.' },
    'dates-only': { status: 'info', summary: 'The path to a trusted root is sound; the verifier objected to dates only (see cert-validity).' },
    'no-verdict': { status: 'error', summary: 'No trust verdict was recorded.' },
    contradiction: { status: 'error', summary: 'The trust verdict says there is no certificate, yet the peer sent one.' },
    undetermined: { status: 'error', summary: 'Whether the chain is trusted could not be determined.' },
    ...CERTIFICATE_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);



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
      return found.fail(
        'no-certificate-sent',
        subject,
        `${subject} completed the TLS handshake without presenting a certificate: Microsoft's edge cannot authenticate it.`,
        isPartner(context.target)
          ? askPartner(context.target.domain, 'assign their edge\'s SIP TLS listener a certificate from a public CA, with its complete chain.')
          : `Assign the Expressway-E a server certificate from a public CA for ${probe.host}, with its complete chain (Maintenance > Security > Server certificate).`,
        { data: { verdict: trust.verdict } },
      );
    }
    return found.skip('no-certificate', subject, certificateUnavailable(probe) ?? `${subject} sent no certificate, so trust could not be examined.`);
  }
  const reading = readTrust(probe);
  if (!trust || !reading) {
    return found.error('no-verdict', subject, `No trust verdict was recorded for the chain ${subject} sent (${chainSummary(chain)}).`);
  }
  const data = {
    verdict: trust.verdict,
    detail: trust.detail,
    ...(trust.nodeError ? { nodeError: trust.nodeError } : {}),
    chain: chain.map(certificateLabel),
  };
  const partner = isPartner(context.target);
  const cause = trust.nodeError ? ` (${trust.nodeError})` : '';

  switch (reading.kind) {
    case 'trusted':
      return found.pass('pass', subject, `The chain ${subject} sends validates to a root in ${trustScope(context)}: ${chainSummary(chain)}.`, { data });
    case 'self-signed':
      return found.fail(
        'self-signed',
        subject,
        `The certificate ${certificateLabel(leaf)} is self-signed (issued by itself)${cause}: no federation partner trusts it, and Microsoft 365 accepts only certificates from public CAs.`,
        partner
          ? partnerRemediation(context, certificateLabel(leaf))
          : `Replace the self-signed certificate on the Expressway-E with one issued by a public CA for ${probe.host} (with the complete chain).`,
        { data },
      );
    case 'private-root':
      return found.fail(
        'private-root',
        subject,
        `The chain ${subject} sends ends at the self-signed root ${reading.root}, which is not in ${trustScope(context)}${cause}: ${chainSummary(chain)}. A private CA is trusted by nobody outside your organisation, and Microsoft 365 accepts only public CAs.`,
        partner
          ? partnerRemediation(context, reading.root)
          : `Replace the Expressway-E's certificate with one from a public CA. If ${reading.root} is your own CA and only on-premises partners that import it are involved, pass it to fedcheck with --ca.`,
        { data },
      );
    case 'untrusted-root':
      return found.fail(
        'untrusted-root',
        subject,
        `The chain ${subject} sends leads to ${reading.root}, which is not a root in ${trustScope(context)}${cause}: ${chainSummary(chain)}.`,
        partner
          ? partnerRemediation(context, reading.root)
          : `Use a certificate from a public CA on the Expressway-E (Microsoft 365 accepts only those). If ${reading.root} is your own CA and only on-premises partners that import it are involved, pass it to fedcheck with --ca.`,
        { data },
      );
    case 'incomplete-chain': {
      const missing = reading.missingIssuer;
      const what =
        chain.length === 1
          ? `the server sends only the leaf ${certificateLabel(leaf)}; its issuer ${missing}, an intermediate CA, is missing`
          : `the server sends ${chain.length} certificates (${chain.map(certificateLabel).join(' → ')}) but not the issuer of the last one, ${missing}`;
      return found.fail(
        'incomplete-chain',
        subject,
        `Incomplete chain on ${subject}: ${what}${cause}. A peer without that intermediate cached cannot build the path to a root.`,
        partner
          ? askPartner(context.target.domain, `add the intermediate ${missing} to the chain their edge sends.`)
          : `Add the intermediate ${missing} to the Expressway's server certificate chain (upload it with the server certificate, Maintenance > Security > Server certificate, and to Maintenance > Security > Trusted CA certificate) so that the Expressway-E sends it.`,
        { data: { ...data, missingIssuer: missing } },
      );
    }
    case 'dates-only':
      return found.info(
        'dates-only',
        subject,
        `The chain ${subject} sends builds to a root in ${trustScope(context)} (${chainSummary(chain)}), but the verifier reports it ${trust.verdict === 'expired' ? 'expired' : 'not yet valid'}${cause}. ` +
          'The verifier checks dates only once the path to a trusted root is built, so the path itself is sound; cert-validity judges the dates.',
        { data },
      );
    case 'contradiction':
      return found.error('contradiction', subject, `The trust verdict says no certificate, yet ${subject} sent ${chain.length}: ${trust.detail}.`, { data });
    case 'undetermined':
      return found.error(
        'undetermined',
        subject,
        `Whether the chain ${subject} sends is trusted could not be determined: ${trust.detail}${cause}. Sent chain: ${chainSummary(chain)}.`,
        { data },
      );
  }
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachPeer(context, found, (probe, subject) => judgeTrust(context, probe, subject));
  },
};
