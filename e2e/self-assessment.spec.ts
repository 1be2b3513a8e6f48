import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from './axe.ts';
import { hasNoHorizontalScroll, noHorizontalScrollAt360 } from './helpers.ts';

/** Digital modenhed: 2 + 2 + 1 + 2 + 1 = 8 of 15 points, i.e. "på vej". */
const DIGITAL_ANSWERS: [RegExp, string][] = [
  [/Sælger I online/, 'En del'],
  [/Er jeres administration digital/, 'En del'],
  [/Bruger I data/, 'Lidt'],
  [/plan for it-sikkerhed/, 'En del'],
  [/digitale kompetencer/, 'Lidt'],
];

test.describe('public self-assessment (Selvtest)', () => {
  test('signed out: take a test, see the level and offers, send the result with a guidance request', async ({ browser }) => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const main = page.getByRole('main');
    await page.goto('/selvtest');
    await expect(main.getByRole('heading', { level: 1, name: 'Selvtest' })).toBeVisible();
    await expect(main.getByText('anonym')).toBeVisible();
    await expect(main.locator('.kp-sa-card')).toHaveCount(3);
    await expect(main.getByRole('link', { name: 'Eksportparathed' })).toHaveAttribute('href', '/selvtest/export');
    await expect(main.getByRole('link', { name: 'Grøn omstilling' })).toHaveAttribute('href', '/selvtest/green');
    await expectNoSeriousA11yViolations(page, 'self-assessment list');
    await noHorizontalScrollAt360(page);

    await main.getByRole('link', { name: 'Digital modenhed' }).click();
    await expect(page).toHaveURL(/\/selvtest\/digital$/);
    await expect(main.getByRole('heading', { level: 1, name: 'Digital modenhed' })).toBeVisible();
    await expect(main.getByRole('group')).toHaveCount(5);

    // One question left unanswered: the error is at that question, and the summary takes focus.
    for (const [question, answer] of DIGITAL_ANSWERS) {
      if (question.source.startsWith('Bruger')) continue;
      await main.getByRole('group', { name: question }).getByLabel(answer, { exact: true }).check();
    }
    await main.getByRole('button', { name: 'Se resultat' }).click();
    const summary = main.locator('.kp-error-summary');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('Spørgsmål 3: Vælg et svar på spørgsmålet.');
    const unanswered = main.getByRole('group', { name: /Bruger I data/ });
    await expect(unanswered.locator('.form-error-message')).toHaveText(/Vælg et svar på spørgsmålet\./);
    await expect(main.locator('.form-error-message')).toHaveCount(1);
    await expect(unanswered.getByRole('radio').first()).toHaveAttribute('aria-invalid', 'true');
    await expectNoSeriousA11yViolations(page, 'self-assessment with errors');
    await noHorizontalScrollAt360(page);
    // The summary link leads to the question.
    await summary.getByRole('link').click();
    await expect(unanswered.getByRole('radio').first()).toBeFocused();

    // All answered: the level, the score, the explanation and offers on the theme.
    await unanswered.getByLabel('Lidt', { exact: true }).check();
    await expect(main.locator('.form-error-message')).toHaveCount(0);
    await main.getByRole('button', { name: 'Se resultat' }).click();
    const resultHeading = main.getByRole('heading', { level: 1, name: 'Resultat: Digital modenhed' });
    await expect(resultHeading).toBeFocused();
    await expect(main.locator('.kp-sa-level-value')).toHaveText('På vej');
    await expect(main.locator('.kp-sa-score')).toHaveText('8 af 15 point');
    await expect(main.locator('.kp-sa-explanation')).toContainText('godt fundament');
    const offers = main.locator('.kp-sa-offer');
    await expect(offers.first()).toBeVisible();
    await expect(offers.first()).toContainText('Udbyder:');
    await expect(offers.first().getByRole('link')).toHaveAttribute('href', /^\/tilbud\/[0-9a-f-]{36}$/);
    await expect(main.getByRole('link', { name: 'Se alle tilbud med temaet Digitalisering' })).toHaveAttribute('href', '/tilbud?theme=digitalisation');
    await expectNoSeriousA11yViolations(page, 'self-assessment result');
    await noHorizontalScrollAt360(page);

    // In English: the result is asked for again in the new language.
    await page.getByRole('banner').getByRole('button', { name: /English/ }).click();
    await expect(main.getByRole('heading', { level: 1, name: 'Result: Digital maturity' })).toBeVisible();
    await expect(main.locator('.kp-sa-level-value')).toHaveText('On the way');
    await expect(main.locator('.kp-sa-score')).toHaveText('8 of 15 points');
    await expect(main.locator('.kp-sa-explanation')).toContainText('good foundation');
    await page.getByRole('banner').getByRole('button', { name: /Dansk/ }).click();
    await expect(main.locator('.kp-sa-level-value')).toHaveText('På vej');

    // Send the result with a guidance request: it is handed over in sessionStorage.
    await main.getByRole('link', { name: 'Send resultatet med en anmodning om vejledning' }).click();
    await expect(page).toHaveURL(/\/faa-vejledning$/);
    const stored = await page.evaluate(() => JSON.parse(sessionStorage.getItem('kp.selfAssessment') ?? 'null'));
    expect(stored).toEqual({
      key: 'digital',
      title: 'Digital modenhed',
      level: 'på vej',
      score: 8,
      maxScore: 15,
      explanation: expect.stringContaining('godt fundament'),
      answers: { d1: 2, d2: 2, d3: 1, d4: 2, d5: 1 },
    });
    await ctx.close();
  });

  test('take the test again, the server decides which answers are missing, unknown tests', async ({ browser }) => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 780 } });
    const page = await ctx.newPage();
    const main = page.getByRole('main');

    // The API reports a missing answer as a field error on answers.<id>.
    const res = await page.request.post('/api/v1/public/self-assessments/green', { data: { answers: { g1: 1, g2: 1, g4: 1, g5: 1 } } });
    expect(res.status()).toBe(400);
    expect((await res.json()).errors).toEqual([{ field: 'answers.g3', message: expect.any(String) }]);

    await page.goto('/selvtest/green');
    await expect(main.getByRole('heading', { level: 1, name: 'Grøn omstilling' })).toBeVisible();
    for (const group of await main.getByRole('group').all()) await group.getByLabel('I høj grad', { exact: true }).check();
    await main.getByRole('button', { name: 'Se resultat' }).click();
    await expect(main.locator('.kp-sa-level-value')).toHaveText('Moden');
    await expect(main.locator('.kp-sa-score')).toHaveText('15 af 15 point');
    expect(await hasNoHorizontalScroll(page)).toBe(true);

    // Again: an empty form, its heading focused.
    await main.getByRole('button', { name: 'Tag testen igen' }).click();
    await expect(main.getByRole('heading', { level: 1, name: 'Grøn omstilling' })).toBeFocused();
    await expect(main.getByRole('radio', { checked: true })).toHaveCount(0);

    // Should the server find an answer missing that the page thinks is there, its field error is shown at the question.
    await page.route('**/api/v1/public/self-assessments/green', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/problem+json',
        body: JSON.stringify({ status: 400, title: 'Bad Request', detail: 'Der er fejl.', errors: [{ field: 'answers.g5', message: 'Feltet skal udfyldes.' }] }),
      }),
    );
    for (const group of await main.getByRole('group').all()) await group.getByLabel('Slet ikke', { exact: true }).check();
    await main.getByRole('button', { name: 'Se resultat' }).click();
    await expect(main.locator('.kp-error-summary')).toBeFocused();
    await expect(main.locator('.kp-error-summary')).toContainText('Spørgsmål 5: Feltet skal udfyldes.');
    await expect(main.getByRole('group', { name: /grønne investeringer/ }).locator('.form-error-message')).toContainText('Feltet skal udfyldes.');
    await page.unroute('**/api/v1/public/self-assessments/green');

    // An unknown test: a friendly page with a way back.
    await page.goto('/selvtest/ukendt');
    await expect(main.getByRole('heading', { level: 1, name: 'Selvtesten findes ikke' })).toBeVisible();
    await expectNoSeriousA11yViolations(page, 'self-assessment (unknown)');
    await main.getByRole('link', { name: 'Se alle selvtest' }).click();
    await expect(main.getByRole('heading', { level: 1, name: 'Selvtest' })).toBeVisible();
    await ctx.close();
  });
});
