// cert-crl: the leaf names a CRL distribution point that an edge on the Internet can fetch.
import type { Finding } from '../model/findings.js';
import type { CertificateInfo, TlsProbeObservation } from '../model/observations.js';
import { CERTIFICATE_PREREQUISITE_CODES, certificateLabel, judgeEachCertificate, parseNote } from './shared/certificates.js';
import { findingBuilder } from './shared/findings.js';
import { askPartner, isPartner } from './shared/wording.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'cert-crl',
  title: 'Certificate has a reachable CRL distribution point',
  severity: 'warn',
  roles: ['local', 'partner'],
  rule: 'The leaf certificate has a CRL distribution point, and at least one of them is an HTTP URL an edge on the Internet can fetch.',
  impact:
    "The Skype for Business edge checks the revocation status of the certificates it is offered. Without a distribution point it can fetch, the check cannot complete and an edge that requires it refuses the connection.",
  source: 'RFC 5280 §4.2.1.13 (CRL distribution points); Microsoft Skype for Business Server edge certificate requirements (certificate revocation checking)',
  remediation:
    'Use a certificate whose CRL distribution point is an HTTP URL published on the Internet (every public CA includes one).',
  codes: {
    pass: { status: 'pass', summary: 'The leaf names an HTTP CRL distribution point.' },
    missing: { status: 'warn', summary: 'The leaf has no CRL distribution point.' },
    'not-fetchable': { status: 'warn', summary: 'The leaf names only CRL distribution points an edge on the Internet cannot fetch (LDAP, file).' },
    ...CERTIFICATE_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);

function isFetchableFromInternet(url: string): boolean {
  return /^https?:\/\//i.test(url.trim());
}

function judgeCrl(context: CheckContext, probe: TlsProbeObservation, subject: string, leaf: CertificateInfo): Finding {
  const points = leaf.crlDistributionPoints;
  const data = { crlDistributionPoints: points };
  const partner = isPartner(context.target);
  const label = certificateLabel(leaf);
  if (points.length === 0) {
    return found.warn(
      'missing',
      subject,
      `The certificate ${label} has no CRL distribution point, so a Skype for Business edge cannot check whether it is revoked and may refuse it.${parseNote(leaf)}`,
      partner
        ? askPartner(context.target.domain, 'use an edge certificate with an HTTP CRL distribution point.')
        : `Reissue the certificate for ${probe.host} from a CA that includes an HTTP CRL distribution point (every public CA does; for an internal CA, publish its CRL on an HTTP URL reachable from the Internet and add that URL to the CA's CDP extension).`,
      { data },
    );
  }
  const fetchable = points.filter(isFetchableFromInternet);
  if (fetchable.length === 0) {
    return found.warn(
      'not-fetchable',
      subject,
      `The certificate ${label} names only CRL distribution points an edge on the Internet cannot fetch: ${points.join(', ')}. ` +
        'LDAP locations are typical of an internal Active Directory CA and are reachable only inside its network.',
      partner
        ? askPartner(context.target.domain, 'use an edge certificate with an HTTP CRL distribution point.')
        : `Publish the issuing CA's CRL on an HTTP URL reachable from the Internet, add it to the CA's CRL distribution point extension, and reissue the certificate for ${probe.host} (or use a public CA).`,
      { data },
    );
  }
  return found.pass('pass', subject, `The certificate ${label} has the CRL distribution point${fetchable.length === 1 ? '' : 's'} ${fetchable.join(', ')}.`, {
    data,
  });
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachCertificate(context, found, (probe, subject, leaf) => judgeCrl(context, probe, subject, leaf));
  },
};
