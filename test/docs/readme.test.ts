// The README's check reference is generated from the checks' definitions: it must not drift.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../src/checks/index.js';
import { checksReferenceMarkdown } from '../../src/cli/explain.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('carries the check reference exactly as `fedcheck explain --markdown` prints it (npm run docs)', () => {
    const section = /<!-- checks:start -->\n([\s\S]*?)<!-- checks:end -->/.exec(readme)?.[1];
    expect(section).toBe(checksReferenceMarkdown());
  });

  it('names every check', () => {
    for (const check of ALL_CHECKS) expect(readme).toContain(`\`${check.meta.id}\``);
  });

  it('gives the two set-up commands', () => {
    expect(readme).toContain('npm ci && node bin/fedcheck.js demo');
    expect(readme).toContain('npm test');
  });
});
