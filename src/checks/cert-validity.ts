// cert-validity: every certificate the peer sends is inside its validity period at the run's
// `now`, with margins: within --warn-days of expiry → warn, within --crit-days → fail.
import type { Finding } from '../model/findings.js';
import type { TlsProbeObservation } from '../model/observations.js';
import { CERTIFICATE_PREREQUISITE_CODES, judgeEachCertificate } from './shared/certificates.js';
import { chainRemediation, judgeChain } from './shared/chain.js';
import { findingBuilder } from './shared/findings.js';
import { describeValidity, firstToExpire, isoInstant, judgeValidity, marginsNote } from './shared/validity.js';
import { isPartner } from './shared/wording.js';
import type { Check, CheckContext, CheckMeta } from './types.js';

const meta = {
  id: 'cert-validity',
  title: 'Certificates inside their validity period, with margin',
  severity: 'fail',
  roles: ['local', 'partner'],
  rule:
    'Every certificate the peer sends is valid now. Thresholds count whole days left until notAfter: fewer than ' +
    '--warn-days (30) whole days left is a warning, fewer than --crit-days (14) a failure; exactly 30 full days left ' +
    'still passes, exactly 14 still only warns.',
  impact:
    "An expired or not-yet-valid certificate anywhere in the chain makes Microsoft's edge reject the TLS connection: federation stops for every user at once, typically on the expiry date of a certificate nobody was watching.",
  source: 'RFC 5280 §4.1.2.5 (validity) and §6.1.3 (path validation checks every certificate); DESIGN §2',
  remediation: 'Renew the certificate before it expires and install it (with its chain) on every Expressway-E peer.',
  codes: {
    pass: { status: 'pass', summary: 'Every certificate is valid for longer than --warn-days.' },
    expiring: { status: 'warn', summary: 'A certificate expires within --warn-days.' },
    'expiring-critical': { status: 'fail', summary: 'A certificate expires within --crit-days.' },
    expired: { status: 'fail', summary: 'A certificate has expired.' },
    'not-yet-valid': { status: 'fail', summary: 'A certificate is not valid yet.' },
    'unreadable-date': { status: 'error', summary: "A certificate's validity period could not be read." },
    ...CERTIFICATE_PREREQUISITE_CODES,
  },
} satisfies CheckMeta;

const found = findingBuilder(meta);



function judgeChainValidity(context: CheckContext, probe: TlsProbeObservation, subject: string): Finding {
  const chain = probe.chain;
  const judgement = judgeChain(chain, (certificates, index, element) => judgeValidity(certificates, index, element, context));
  const { elements, worst, problems } = judgement;
  const soonest = firstToExpire(elements);
  const data = {
    ...(soonest ? { daysLeft: soonest.daysLeft } : {}),
    chain: elements.map(({ element, subject: name, notBefore, notAfter, daysLeft, status }) => ({
      element,
      subject: name,
      notBefore,
      notAfter,
      daysLeft: Number.isNaN(daysLeft) ? null : daysLeft,
      status,
    })),
  };

  if (worst.problem === undefined) {
    return found.pass(
      'pass',
      subject,
      `${chain.length === 1 ? `The certificate ${subject} sends is` : `All ${chain.length} certificates ${subject} sends are`} valid; first to expire: ${describeValidity(soonest!, context.now)}.`,
      { data },
    );
  }
  const sentences = problems.map((element) => describeValidity(element, context.now));
  const message = `On ${subject}, ${sentences.join('; ')}${marginsNote(worst.problem, context)}.`;
  if (worst.problem === 'unreadable-date') return found.error('unreadable-date', subject, message, { data });

  const remediation =
    worst.problem === 'not-yet-valid' && !isPartner(context.target)
      ? `Check the validity dates of the certificate installed on ${subject} and the clock of the machine that issued it; until ${isoInstant(Date.parse(worst.notBefore))} install the previous (still valid) certificate.`
      : chainRemediation(context.target, judgement, {
          partner: `renew their edge certificate: ${describeValidity(worst, context.now)}, and federation with them stops with it.`,
          leaf: `Renew the Expressway-E certificate for ${probe.host} now and install it, with its chain, on every Expressway-E peer (Maintenance > Security > Server certificate).`,
          intermediate: `Replace the expiring CA certificate in the chain the Expressway-E sends with the CA's current one (your CA publishes the renewed intermediate), or renew the leaf under a current chain.`,
        });
  return found.as(worst.problem, subject, message, { data, remediation });
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachCertificate(context, found, (probe, subject) => judgeChainValidity(context, probe, subject));
  },
};
