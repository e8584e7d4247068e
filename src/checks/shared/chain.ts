// The one chain judge: cert-key, cert-signature, cert-validity and imp-tls judge every element of
// the chain a peer sends, report the problems most serious first, and fix the worst of them
// where it lies: the partner's certificate, a new leaf, or a current CA certificate in the chain.
import { STATUS_RANK, type Status } from '../../model/findings.js';
import type { CertificateInfo, TargetObservations } from '../../model/observations.js';
import { chainElementRole, type ChainElementRole } from './certificates.js';
import { askPartner, isPartner } from './wording.js';

/** What a check concluded about one element of the chain. */
export interface ElementJudgement {
  index: number;
  element: ChainElementRole;
  status: Status;
}

export interface ChainJudgement<Judgement extends ElementJudgement> {
  /** One judgement per element, in chain order (leaf first). */
  elements: Judgement[];
  /** The first of the most serious judgements: the finding's status and variant. */
  worst: Judgement;
  /** The judgements that are not a pass, most serious first (chain order among equals). */
  problems: Judgement[];
  /** The leaf is among the most serious problems, so the fix is a new leaf certificate. */
  leafAtWorst: boolean;
}

/** Judges every element of a non-empty chain with `judgeElement`. */
export function judgeChain<Judgement extends ElementJudgement>(
  chain: readonly CertificateInfo[],
  judgeElement: (chain: readonly CertificateInfo[], index: number, element: ChainElementRole) => Judgement,
): ChainJudgement<Judgement> {
  const elements = chain.map((_, index) => judgeElement(chain, index, chainElementRole(chain, index)));
  const worst = elements.reduce((a, b) => (STATUS_RANK[b.status] > STATUS_RANK[a.status] ? b : a));
  const problems = elements
    .filter((judgement) => judgement.status !== 'pass')
    .sort((a, b) => STATUS_RANK[b.status] - STATUS_RANK[a.status]);
  const leafAtWorst = elements.some((judgement) => judgement.element === 'leaf' && judgement.status === worst.status);
  return { elements, worst, problems, leafAtWorst };
}

export interface ChainAdvice {
  /** What to ask a partner to do (askPartner adds who). */
  partner: string;
  /** The fix when the leaf is at fault. */
  leaf: string;
  /** The fix when only CA certificates in the chain are. */
  intermediate: string;
}

/** The fix for the worst problem of a chain: the partner's to make, a new leaf, or a current CA certificate. */
export function chainRemediation(target: TargetObservations, judgement: ChainJudgement<ElementJudgement>, advice: ChainAdvice): string {
  if (isPartner(target)) return askPartner(target.domain, advice.partner);
  return judgement.leafAtWorst ? advice.leaf : advice.intermediate;
}
