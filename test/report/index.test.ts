import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/model/options.js';
import { RENDERER_FORMATS, loadRenderer, type FormatRenderer } from '../../src/report/index.js';
import {
  RENDERER_SCENARIOS,
  mixedCertificates,
  twoSrvOutOfNamespace,
} from './results.js';


const RENDERERS = Object.fromEntries(
  await Promise.all(FORMATS.map(async (format) => [format, await loadRenderer(format)] as const)),
) as Record<(typeof FORMATS)[number], FormatRenderer>;

describe('renderer registry', () => {
  it('has exactly one renderer per output format', () => {
    expect([...RENDERER_FORMATS].sort()).toEqual([...FORMATS].sort());
  });

  it.each(FORMATS)('%s renders every scenario to newline-terminated text without escape codes when colour is off', (format) => {
    for (const [name, scenario] of Object.entries(RENDERER_SCENARIOS)) {
      const output = RENDERERS[format].render(scenario(), { color: false });
      expect(output.endsWith('\n'), `${format} ${name}`).toBe(true);
      expect(output, `${format} ${name}`).not.toContain('\u001b');
    }
  });

  it.each(FORMATS)('%s in pieces (chunks) is the whole report, a target at a time', (format) => {
    for (const [name, scenario] of Object.entries(RENDERER_SCENARIOS)) {
      const result = scenario();
      const chunks = [...RENDERERS[format].chunks(result, { color: false, width: 100 })];
      expect(chunks.join(''), `${format} ${name}`).toBe(RENDERERS[format].render(result, { color: false, width: 100 }));
      if (format !== 'nagios' && format !== 'prometheus') expect(chunks.length, `${format} ${name}`).toBeGreaterThan(result.targets.length);
    }
  });

  it('uses colour only in the human report', () => {
    for (const format of FORMATS) {
      const colored = RENDERERS[format].render(twoSrvOutOfNamespace(), { color: true });
      expect(colored.includes('\u001b'), format).toBe(format === 'human');
    }
  });

  it('does not modify the result it renders', () => {
    const result = mixedCertificates();
    const before = structuredClone(result);
    for (const format of FORMATS) RENDERERS[format].render(result, { color: true });
    expect(result).toEqual(before);
  });
});
