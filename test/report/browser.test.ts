// The HTML report in a real browser: Debian's Chromium, driven by playwright-core (its own
// browser downloads cannot work here). The demo's report against the JSON of the demo, a report
// made from a certificate with hostile names through the real binary, the print view, and
// screenshots at desktop and phone width in both colour schemes (saved, for a person to look at).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startLab, type LabSpec } from '../../src/lab/lab.js';
import type { RunResult } from '../../src/model/findings.js';
import { runFedcheck } from '../helpers/fedcheck.js';
import { sharedCaKeys } from '../helpers/lab-keys.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`${CHROMIUM} is missing (Debian package chromium): skipping the browser tests of the HTML report`);

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 375, height: 740 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

/** What a loaded page did that a report must never do. */
interface PageWatch {
  dialogs: string[];
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
}

// A full-page screenshot of a long report takes seconds on a busy machine.
describe.skipIf(!hasChromium)('HTML report in Chromium', { timeout: 60_000 }, () => {
  let browser: Browser;
  const folder = mkdtempSync(join(tmpdir(), 'fedcheck-report-'));
  // Kept for a person to look at, in one place each run overwrites (not the temporary folder,
  // which goes with the tests).
  const screenshots = fileURLToPath(new URL('../../test-output/html-report-screenshots/', import.meta.url));

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    // playwright gives every launch a fresh, temporary profile (--user-data-dir).
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    console.log(`HTML report screenshots: ${screenshots}`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  async function open(file: string, options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<{ page: Page; context: BrowserContext; watch: PageWatch }> {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
      colorScheme: options.colorScheme ?? 'light',
    });
    const page = await context.newPage();
    const watch: PageWatch = { dialogs: [], consoleErrors: [], pageErrors: [], requests: [] };
    page.on('dialog', (dialog) => {
      watch.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') watch.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => watch.pageErrors.push(error.message));
    page.on('request', (request) => watch.requests.push(request.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, context, watch };
  }

  /** Boxes whose content spills out of them: a long name must wrap inside its hop, finding or table cell. */
  async function overflowing(page: Page): Promise<string[]> {
    return page.$$eval('.hop, .finding, .peer, td', (boxes) =>
      boxes
        .filter((box) => [...box.querySelectorAll('*')].some((inner) => inner.getBoundingClientRect().right > box.getBoundingClientRect().right + 1))
        .map((box) => (box.textContent ?? '').slice(0, 80)),
    );
  }

  describe('the demo', () => {
    const html = join(folder, 'demo.html');
    let result: RunResult;

    beforeAll(async () => {
      // Two runs of the demo (the HTML and the JSON), each against its own lab, at once: what
      // they share is the structure, not the addresses or serial numbers.
      const [htmlRun, jsonRun] = await Promise.all([
        runFedcheck(['demo', '--format', 'html', '--output', html], { killAfterMs: 60_000 }),
        runFedcheck(['demo', '--json'], { killAfterMs: 60_000 }),
      ]);
      expect(htmlRun.code, htmlRun.stderr).toBe(0);
      expect(jsonRun.json, jsonRun.stderr).toBeDefined();
      result = jsonRun.json!;
    }, 120_000);

    it('has one section per domain, in order, with the same number of findings per status as the JSON', async () => {
      const { page, context, watch } = await open(html);
      const sections = await page.$$eval('section.target', (elements) =>
        elements.map((element) => ({
          domain: element.getAttribute('data-domain'),
          findings: [...element.querySelectorAll('[data-code]')].map((finding) => `${finding.getAttribute('data-status')} ${finding.getAttribute('data-code')}`),
        })),
      );
      expect(sections.map((section) => section.domain)).toEqual(result.targets.map((target) => target.domain));
      // The same findings by status and code (the two runs are separate, so subjects may differ).
      sections.forEach((section, index) => {
        const expected = result.targets[index]!.findings.map((finding) => `${finding.status} ${finding.code}`);
        expect(section.findings.sort(), section.domain ?? '').toEqual(expected.sort());
      });
      expect(await page.getAttribute('[data-verdict]', 'data-verdict')).toBe(result.status);
      expect(watch).toEqual({ dialogs: [], consoleErrors: [], pageErrors: [], requests: [pathToFileURL(html).href] });
      await context.close();
    });

    it('shows the problems with their fixes and keeps the passes collapsed', async () => {
      const { page, context } = await open(html);
      const problems = result.targets.flatMap((target) => target.findings).filter((finding) => finding.status === 'warn' || finding.status === 'fail');
      expect(await page.locator('li.finding').count()).toBe(problems.length);
      for (const fix of await page.locator('li.finding .fix').all()) expect(await fix.isVisible()).toBe(true);
      const pass = page.locator('details.passes li').first();
      expect(await pass.isVisible()).toBe(false);
      await context.close();
    });

    it('opens every collapsed section for printing, by the script and by the print style alone', async () => {
      const { page, context } = await open(html);
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('details.passes li').first().isVisible()).toBe(true);
      await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
      expect(await page.$$eval('details', (elements) => elements.every((element) => (element as HTMLDetailsElement).open))).toBe(true);
      await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
      expect(await page.$$eval('details.passes', (elements) => elements.some((element) => (element as HTMLDetailsElement).open))).toBe(false);
      await context.close();
    });

    it.each(VIEWPORTS.flatMap((viewport) => SCHEMES.map((scheme) => ({ ...viewport, scheme }))))(
      'is readable at $width px in the $scheme scheme: nothing wider than the screen (screenshot saved)',
      async ({ name, width, height, scheme }) => {
        const { page, context } = await open(html, { width, height, colorScheme: scheme });
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        expect(await overflowing(page)).toEqual([]);
        const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        expect(background).toBe(scheme === 'dark' ? 'rgb(13, 17, 23)' : 'rgb(255, 255, 255)');
        await page.screenshot({ path: join(screenshots, `demo-${name}-${width}-${scheme}.png`), fullPage: true });
        await context.close();
      },
    );
  });

  describe('a certificate with hostile names, through the real binary', () => {
    const CN = '<img src=x onerror="window.__fedcheckPwned=1;alert(1)">';
    const SANS = [`quote"and'apostrophe.example`, '</script><script>window.__fedcheckPwned=2</script>', '"><svg onload="window.__fedcheckPwned=3">'];
    const SERVER = '<script>window.__fedcheckPwned=4</script>';
    const html = join(folder, 'hostile.html');
    let result: RunResult;

    beforeAll(async () => {
      const lab: LabSpec = {
        zones: [
          '$ORIGIN ciscoexample.com.\n@ 3600 IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ 3600 IN NS ns1\nns1 3600 IN A {{LAB_NS}}\n' +
            '_sipfederationtls._tcp 3600 IN SRV 10 10 5061 sip.ciscoexample.com.\nsip 3600 IN A {{PEER}}\n',
        ],
        endpoints: [{ name: 'PEER', certificate: { profile: 'good-rsa', names: [CN, ...SANS] }, sip: { status: 403, reason: '<b onmouseover=alert(5)>Forbidden</b>', server: SERVER } }],
      };
      const running = await startLab(lab, { caKeys: await sharedCaKeys() });
      try {
        const ca = join(folder, 'lab-root.pem');
        writeFileSync(ca, running.rootPem);
        const args = ['ciscoexample.com', '--resolver', running.resolverArgument, '--ca', ca, '--sip-options'];
        const [htmlRun, jsonRun] = await Promise.all([runFedcheck([...args, '--format', 'html', '--output', html]), runFedcheck([...args, '--json'])]);
        expect(htmlRun.stderr).toBe('');
        result = jsonRun.json!;
      } finally {
        await running.close();
      }
    }, 60_000);

    it('carries the hostile names in its findings (the test would prove nothing otherwise)', () => {
      const text = JSON.stringify(result.targets[0]!.findings);
      expect(text).toContain('<img src=x onerror=');
      expect(text).toContain('</script><script>');
      expect(readFileSync(html, 'utf8')).not.toContain('<img');
    });

    it('runs nothing: no dialog, no script error, no request, the payloads flag unset', async () => {
      const { page, context, watch } = await open(html);
      expect(await page.evaluate(() => (window as unknown as { __fedcheckPwned?: number }).__fedcheckPwned)).toBeUndefined();
      expect(await page.locator('img, svg, iframe').count()).toBe(0);
      expect(await page.locator('script').count()).toBe(1);
      // Hovering the text a payload would have turned into a handler runs nothing either.
      await page.hover('text=Forbidden').catch(() => undefined);
      expect(watch).toEqual({ dialogs: [], consoleErrors: [], pageErrors: [], requests: [pathToFileURL(html).href] });
      await context.close();
    });

    it.each(VIEWPORTS)('shows the names literally, wrapped inside their boxes at $width px (screenshot saved)', async ({ name, width, height }) => {
      const { page, context } = await open(html, { width, height });
      const text = await page.locator('body').innerText();
      expect(text).toContain(CN);
      for (const san of SANS) expect(text).toContain(san.toLowerCase());
      expect(text).toContain(SERVER);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      expect(await overflowing(page)).toEqual([]);
      await page.screenshot({ path: join(screenshots, `hostile-${name}-${width}-light.png`), fullPage: true });
      await context.close();
    });

    it('is guarded by its Content-Security-Policy too: markup slipped into the file does not run', async () => {
      const tampered = join(folder, 'tampered.html');
      const injected = '<script>window.__fedcheckPwned=6</script><img src="data:," onerror="window.__fedcheckPwned=7">';
      writeFileSync(tampered, readFileSync(html, 'utf8').replace('<main>', `<main>${injected}`));
      const { page, context, watch } = await open(tampered);
      expect(await page.evaluate(() => (window as unknown as { __fedcheckPwned?: number }).__fedcheckPwned)).toBeUndefined();
      // The only errors are the policy refusing the injected script and handler.
      expect(watch.consoleErrors.length).toBeGreaterThan(0);
      expect(watch.consoleErrors.every((message) => /Content Security Policy/i.test(message))).toBe(true);
      await context.close();
    });
  });
});
