import { describe, expect, it } from 'vitest';
import { chainRemediation, judgeChain, type ElementJudgement } from '../../../src/checks/shared/chain.js';
import type { Status } from '../../../src/model/findings.js';
import { federationTarget, intermediateCertificate, leafCertificate, rootCertificate } from '../../helpers/builders/index.js';

const CHAIN = [leafCertificate(), intermediateCertificate(), rootCertificate()];
const ADVICE = { partner: 'fix it.', leaf: 'new leaf', intermediate: 'new CA certificate' };

/** Judges the chain with the statuses given, element by element. */
function judgeWith(...statuses: Status[]) {
  return judgeChain(CHAIN, (_, index, element): ElementJudgement => ({ index, element, status: statuses[index]! }));
}

describe('judgeChain', () => {
  it('names each element by its place in the chain', () => {
    expect(judgeWith('pass', 'pass', 'pass').elements.map(({ element }) => element)).toEqual(['leaf', 'intermediate', 'root']);
  });

  it('takes the first of the most serious elements as the worst, and lists problems most serious first', () => {
    const judgement = judgeWith('warn', 'fail', 'fail');
    expect(judgement.worst.index).toBe(1);
    expect(judgement.problems.map(({ index }) => index)).toEqual([1, 2, 0]);
    expect(judgement.leafAtWorst).toBe(false);
  });

  it('ranks an error above a warning and skips passes', () => {
    const judgement = judgeWith('pass', 'warn', 'error');
    expect(judgement.worst.status).toBe('error');
    expect(judgement.problems.map(({ status }) => status)).toEqual(['error', 'warn']);
  });

  it('fixes the leaf when the leaf is among the most serious problems, else the chain, and asks a partner', () => {
    expect(chainRemediation(federationTarget(), judgeWith('fail', 'fail', 'pass'), ADVICE)).toBe('new leaf');
    expect(chainRemediation(federationTarget(), judgeWith('warn', 'fail', 'pass'), ADVICE)).toBe('new CA certificate');
    expect(chainRemediation(federationTarget({ role: 'partner' }), judgeWith('fail', 'pass', 'pass'), ADVICE)).toBe(
      'Ask the administrators of msexample.com (it is their DNS and edge) to fix it.',
    );
  });
});
