import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'knudepunkt-demo';

export const demoUsers = {
  admin: 'admin@demo.knudepunkt.dk',
  adviser: 'adviser@demo.knudepunkt.dk',
  manager: 'manager@demo.knudepunkt.dk',
  reader: 'reader@demo.knudepunkt.dk',
  kommune: 'kommune@demo.knudepunkt.dk',
  /** An adviser of another municipality's business service (Aabenraa, 580), also under Erhvervshus Sydjylland. */
  aabenraa: 'aabenraa@demo.knudepunkt.dk',
  ew: 'ew@demo.knudepunkt.dk',
} as const;

export type DemoRole = keyof typeof demoUsers;

const authDir = fileURLToPath(new URL('../test-results/.auth/', import.meta.url));

/** Where auth.setup.ts saves the signed-in browser state of a demo user. */
export function authFile(role: DemoRole): string {
  return path.join(authDir, `${role}.json`);
}

/**
 * Signs in through the login form and waits for the landing page: "Mit arbejde" for advisers and
 * managers of hubs and local business services, the search page for everyone else.
 */
export async function signIn(page: Page, email: string = demoUsers.admin, password: string = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Adgangskode').fill(password);
  await page.getByRole('button', { name: 'Log ind' }).click();
  await expect(page).toHaveURL(/\/(mit-arbejde)?$/);
  await expect(page.getByRole('heading', { level: 1, name: /^(Find virksomhed|Mit arbejde)$/ })).toBeVisible();
}

/** Runs a company search through the form on the search page. */
export async function search(page: Page, query: string): Promise<void> {
  await page.getByLabel('Søg på CVR-nummer, P-nummer eller navn').fill(query);
  await page.getByRole('button', { name: 'Søg', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(query).replace(/%20/g, '(\\+|%20)')}`));
}

/** Whether the page fits its viewport's width (no horizontal scrolling). */
export async function hasNoHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}

/** Checks that the page fits a 360 px wide phone, then goes back to the desktop viewport (1280 × 720). */
export async function noHorizontalScrollAt360(page: Page): Promise<void> {
  await page.setViewportSize({ width: 360, height: 800 });
  await expect.poll(() => hasNoHorizontalScroll(page)).toBe(true);
  await page.setViewportSize({ width: 1280, height: 720 });
}

/**
 * A Sønderborg company (municipality 540) without any active consent, so that a referral has to carry
 * a sharing consent for its receiver. Found through the API with the caller's signed-in session.
 */
export async function sonderborgCompanyWithoutConsent(request: APIRequestContext): Promise<{ cvr: string; name: string }> {
  for (let page = 1; page <= 5; page++) {
    const res = await request.get(`/api/v1/companies?municipality=540&pageSize=50&page=${page}`);
    expect(res.ok(), `company search answered ${res.status()}`).toBeTruthy();
    const { items } = (await res.json()) as { items: { cvr: string; name: string }[] };
    for (const c of items) {
      const consents = await request.get(`/api/v1/companies/${c.cvr}/consents`);
      if (!consents.ok()) continue;
      const { items: list } = (await consents.json()) as { items: { active: boolean }[] };
      if (!list.some((x) => x.active)) return c;
    }
  }
  throw new Error('no Sønderborg company without a consent in the demo data');
}

/** The CSRF header for API calls that change something, from the session of the request context. */
export async function csrf(request: APIRequestContext): Promise<Record<string, string>> {
  const res = await request.get('/api/v1/auth/session');
  expect(res.ok(), `session answered ${res.status()}`).toBeTruthy();
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { 'x-csrf-token': csrfToken };
}
