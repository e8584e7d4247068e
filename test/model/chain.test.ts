import { describe, expect, it } from 'vitest';
import { validationPath } from '../../src/model/chain.js';
import { intermediateCertificate, leafCertificate, rootCertificate, strayCertificate, tlsProbe } from '../helpers/builders/index.js';

const leaf = leafCertificate();
const intermediate = intermediateCertificate();
const root = rootCertificate();
const stranger = strayCertificate();

describe('validationPath', () => {
  it('reads the recorded path, in path order, and what was sent beside it', () => {
    const probe = tlsProbe({ chain: [leaf, root, stranger, intermediate], trust: { verdict: 'trusted', detail: '', path: [0, 3, 1] } });
    expect(validationPath(probe)).toEqual({
      certificates: [leaf, intermediate, root],
      notOnPath: [{ index: 2, certificate: stranger }],
    });
  });

  it('counts the whole chain as sent for a report without a path, or with one that does not fit the chain', () => {
    const chain = [leaf, intermediate, stranger];
    for (const trust of [
      { verdict: 'trusted' as const, detail: '' },
      { verdict: 'trusted' as const, detail: '', path: [1, 0] },
      { verdict: 'trusted' as const, detail: '', path: [0, 3] },
      { verdict: 'trusted' as const, detail: '', path: [0, 1, 1] },
      { verdict: 'trusted' as const, detail: '', path: [] },
    ]) {
      expect(validationPath(tlsProbe({ chain, trust }))).toEqual({ certificates: chain, notOnPath: [] });
    }
    const untrusted = tlsProbe({ chain });
    delete untrusted.trust;
    expect(validationPath(untrusted).certificates).toEqual(chain);
  });
});
