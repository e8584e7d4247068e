import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../src/model/options.js';
import { RENDERERS, renderChunks } from '../../src/report/index.js';
import {
  RENDERER_SCENARIOS,
  mixedCertificates,
  twoSrvOutOfNamespace,
} from './results.js';


describe('renderer registry', () => {
  it('has exactly one renderer per output format', () => {
    expect(Object.keys(RENDERERS).sort()).toEqual([...FORMATS].sort());
  });

  it.each(FORMATS)('%s renders every scenario to newline-terminated text without escape codes when colour is off', (format) => {
    for (const [name, scenario] of Object.entries(RENDERER_SCENARIOS)) {
      const output = RENDERERS[format](scenario(), { color: false });
      expect(output.endsWith('\n'), `${format} ${name}`).toBe(true);
      expect(output, `${format} ${name}`).not.toContain('\u001b');
    }
  });

  it.each(FORMATS)('%s in pieces (renderChunks) is the whole report, a target at a time', (format) => {
    for (const [name, scenario] of Object.entries(RENDERER_SCENARIOS)) {
      const result = scenario();
      const chunks = [...renderChunks(format, result, { color: false, width: 100 })];
      expect(chunks.join(''), `${format} ${name}`).toBe(RENDERERS[format](result, { color: false, width: 100 }));
      if (format !== 'nagios' && format !== 'prometheus') expect(chunks.length, `${format} ${name}`).toBeGreaterThan(result.targets.length);
    }
  });

  it('uses colour only in the human report', () => {
    for (const format of FORMATS) {
      const colored = RENDERERS[format](twoSrvOutOfNamespace(), { color: true });
      expect(colored.includes('\u001b'), format).toBe(format === 'human');
    }
  });

  it('does not modify the result it renders', () => {
    const result = mixedCertificates();
    const before = structuredClone(result);
    for (const format of FORMATS) RENDERERS[format](result, { color: true });
    expect(result).toEqual(before);
  });
});
