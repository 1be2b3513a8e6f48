import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, type Page } from '@playwright/test';
import { AxeBuilder } from '@axe-core/playwright';
import type { AxeResults, RunOptions } from 'axe-core';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// The minified build: the package's `source` is the 1.3 MB readable one, which takes Chromium three
// times as long to evaluate on every page.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const OPTIONS: RunOptions = { runOnly: { type: 'tag', values: TAGS }, resultTypes: ['violations'], iframes: false };

/**
 * axe in the page itself. AxeBuilder runs each frame separately and then opens a blank page to
 * combine the results, about 1.5 s a call here; our pages have no frames, and a page that has one
 * still gets AxeBuilder's frame-by-frame run.
 */
async function analyze(page: Page): Promise<AxeResults> {
  const hasFrames = await page.evaluate(() => document.querySelector('iframe, frame') !== null);
  if (hasFrames) return new AxeBuilder({ page }).withTags(TAGS).analyze();
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate((options) => (window as unknown as { axe: { run: (context: Document, options: RunOptions) => Promise<AxeResults> } }).axe.run(document, options), OPTIONS);
}

/**
 * Runs axe (WCAG 2.1 A/AA rules) on the current page and fails on any violation with impact
 * "serious" or "critical". All violations are printed so that failures are easy to act on.
 */
export async function expectNoSeriousA11yViolations(page: Page, label: string): Promise<void> {
  const results = await analyze(page);
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (results.violations.length > 0) {
    const lines = results.violations.map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `      - ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`)
        .join('\n');
      return `  [${v.impact ?? 'unknown'}] ${v.id}: ${v.help} (${v.nodes.length} node(s))\n${nodes}`;
    });
    console.log(`axe on ${label} (${page.url()}):\n${lines.join('\n')}`);
  }
  expect(
    serious.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `serious/critical axe violations on ${label}`,
  ).toEqual([]);
}
