// cert-validity: every certificate the peer sends is inside its validity period at the run's
// `now`, with margins: within --warn-days of expiry → warn, within --crit-days → fail.
import { STATUS_RANK, type Finding, type Status } from '../model/findings.js';
import type { CertificateInfo, TlsProbeObservation } from '../model/observations.js';
import { askPartner, isPartner } from './support.js';
import type { Check, CheckContext, CheckMeta } from './types.js';
import { tlsFinding } from './tls-connect.js';
import { certificateLabel, chainElementRole, judgeEachCertificate, type ChainElementRole } from './tls-handshake.js';

const DAY_MS = 86_400_000;

const meta: CheckMeta = {
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
};

export interface ElementValidity {
  element: ChainElementRole;
  subject: string;
  notBefore: string;
  notAfter: string;
  /** Whole days until notAfter (floor); negative once expired. */
  daysLeft: number;
  status: Status;
  problem?: 'expired' | 'not-yet-valid' | 'expires-soon' | 'unreadable-date';
}

function isoDay(timestamp: number): string {
  return new Date(timestamp).toISOString().replace('.000Z', 'Z');
}

export function judgeElement(
  chain: readonly CertificateInfo[],
  index: number,
  context: Pick<CheckContext, 'now' | 'warnDays' | 'critDays'>,
): ElementValidity {
  const certificate = chain[index]!;
  const notBefore = Date.parse(certificate.notBefore);
  const notAfter = Date.parse(certificate.notAfter);
  const now = context.now.getTime();
  const base = {
    element: chainElementRole(chain, index),
    subject: certificateLabel(certificate),
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
  };
  if (Number.isNaN(notBefore) || Number.isNaN(notAfter)) {
    return { ...base, daysLeft: Number.NaN, status: 'error', problem: 'unreadable-date' };
  }
  // floor(x) < n ⇔ x < n for whole n, so comparing the floored days with the thresholds is exact.
  const daysLeft = Math.floor((notAfter - now) / DAY_MS);
  if (now < notBefore) return { ...base, daysLeft, status: 'fail', problem: 'not-yet-valid' };
  if (now > notAfter) return { ...base, daysLeft, status: 'fail', problem: 'expired' };
  if (daysLeft < context.critDays) return { ...base, daysLeft, status: 'fail', problem: 'expires-soon' };
  if (daysLeft < context.warnDays) return { ...base, daysLeft, status: 'warn', problem: 'expires-soon' };
  return { ...base, daysLeft, status: 'pass' };
}

function days(count: number): string {
  return `${count} day${count === 1 ? '' : 's'}`;
}

function describe(validity: ElementValidity, now: Date): string {
  const who = `the ${validity.element} ${validity.subject}`;
  switch (validity.problem) {
    case 'unreadable-date':
      return `${who} has a validity period that could not be read (notBefore "${validity.notBefore}", notAfter "${validity.notAfter}")`;
    case 'not-yet-valid': {
      const wait = Math.ceil((Date.parse(validity.notBefore) - now.getTime()) / DAY_MS);
      return `${who} is not valid until ${isoDay(Date.parse(validity.notBefore))} (in ${days(wait)})`;
    }
    case 'expired': {
      const ago = Math.floor((now.getTime() - Date.parse(validity.notAfter)) / DAY_MS);
      return `${who} expired on ${isoDay(Date.parse(validity.notAfter))} (${ago === 0 ? 'less than a day' : days(ago)} ago)`;
    }
    default:
      return `${who} expires on ${isoDay(Date.parse(validity.notAfter))}, ${validity.daysLeft === 0 ? 'within a day' : `in ${days(validity.daysLeft)}`}`;
  }
}

function judgeValidity(context: CheckContext, probe: TlsProbeObservation, subject: string): Finding {
  const chain = probe.chain;
  const elements = chain.map((_, index) => judgeElement(chain, index, context));
  const worst = elements.reduce((a, b) => (STATUS_RANK[b.status] > STATUS_RANK[a.status] ? b : a));
  const readable = elements.filter((element) => !Number.isNaN(element.daysLeft));
  const firstToExpire = readable.reduce<ElementValidity | undefined>(
    (soonest, element) => (soonest === undefined || element.daysLeft < soonest.daysLeft ? element : soonest),
    undefined,
  );
  const data = {
    ...(firstToExpire ? { daysLeft: firstToExpire.daysLeft } : {}),
    chain: elements.map(({ element, subject: name, notBefore, notAfter, daysLeft, status }) => ({
      element,
      subject: name,
      notBefore,
      notAfter,
      daysLeft: Number.isNaN(daysLeft) ? null : daysLeft,
      status,
    })),
  };

  if (worst.status === 'pass') {
    const soonest = firstToExpire!;
    return tlsFinding(
      meta,
      'pass',
      subject,
      `${chain.length === 1 ? `The certificate ${subject} sends is` : `All ${chain.length} certificates ${subject} sends are`} valid; first to expire: ${describe(soonest, context.now)}.`,
      { data },
    );
  }
  const problems = elements.filter((element) => element.status !== 'pass');
  const sentences = problems
    .sort((a, b) => STATUS_RANK[b.status] - STATUS_RANK[a.status])
    .map((element) => describe(element, context.now));
  const thresholds =
    worst.problem === 'expires-soon'
      ? ` (warning within ${days(context.warnDays)}, failure within ${days(context.critDays)})`
      : '';
  const message = `On ${subject}, ${sentences.join('; ')}${thresholds}.`;
  if (worst.status === 'error') return tlsFinding(meta, 'error', subject, message, { data });

  const leafProblem = problems.some((element) => element.element === 'leaf');
  const partner = isPartner(context.target);
  let remediation: string;
  if (partner) {
    remediation = askPartner(context.target.domain, `renew their edge certificate: ${describe(worst, context.now)}, and federation with them stops with it.`);
  } else if (worst.problem === 'not-yet-valid') {
    remediation = `Check the validity dates of the certificate installed on ${subject} and the clock of the machine that issued it; until ${isoDay(Date.parse(worst.notBefore))} install the previous (still valid) certificate.`;
  } else if (leafProblem) {
    remediation = `Renew the Expressway-E certificate for ${probe.host} now and install it, with its chain, on every Expressway-E peer (Maintenance > Security > Server certificate).`;
  } else {
    remediation = `Replace the expiring CA certificate in the chain the Expressway-E sends with the CA's current one (your CA publishes the renewed intermediate), or renew the leaf under a current chain.`;
  }
  return tlsFinding(meta, worst.status, subject, message, { data, remediation });
}

export const check: Check = {
  meta,
  run(context) {
    return judgeEachCertificate(context, meta, (probe, subject) => judgeValidity(context, probe, subject));
  },
};
