import { expect, test } from '@playwright/test';
import { ORGANISER, expectAccessible, login } from '../helpers';

// Every page an organiser reaches, in both languages, with and without form errors: one <h1>,
// a title, and no axe-core violation (WCAG 2.1 A and AA).

const REF = '/programmes/villes-pairs/referentiel';
const SESSION = '/programmes/villes-pairs/sessions/seconde-session';
const WORKSHOP = '/workshops/sud-francilien-2015';

async function firstLink(page: import('@playwright/test').Page, list: string, prefix: RegExp): Promise<string> {
  await page.goto(list);
  const hrefs = await page.locator('#main a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  const href = hrefs.find((h) => prefix.test(h));
  expect(href, `a record linked from ${list}`).toBeTruthy();
  return href as string;
}

async function check(page: import('@playwright/test').Page, path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(200);
  await expect(page.locator('h1'), path).toHaveCount(1);
  await expect(page).toHaveTitle(/\S/);
  await expectAccessible(page);
}

test.describe('pages d’une organisatrice', () => {
  test('chaque page, en français et en anglais, est accessible', async ({ page }) => {
    // About fifty pages, each with an axe-core pass.
    test.setTimeout(180_000);
    await login(page, ORGANISER.email, ORGANISER.password);
    const organisation = await firstLink(page, '/organisations', /^\/organisations\/\d+$/);
    const person = await firstLink(page, '/people', /^\/people\/\d+$/);
    const territory = await firstLink(page, '/territories', /^\/territories\/\d+$/);
    const delegation = await firstLink(page, `${SESSION}/manage`, /\/delegation$/).catch(() => '');
    // A message exists once a recruitment journey has sent one; the list is checked either way.
    const message = await firstLink(page, '/admin/outbox', /^\/admin\/outbox\/\d+$/).catch(() => '');
    const day = await firstLink(page, `${SESSION}/days`, /\/days\/\d+$/);
    const project = await firstLink(page, `${WORKSHOP}/projects`, /^\/projects\/\d+$/);
    const meeting = await firstLink(page, `${WORKSHOP}/committee`, /^\/meetings\/\d+$/);
    const synthesisBudget = await firstLink(page, WORKSHOP, /^\/budgets\/workshop\/\d+$/);
    const sessionBudget = await firstLink(page, `${SESSION}/manage`, /^\/budgets\/cohort\/\d+$/);
    const pages = [
      '/organisations', '/organisations/new', organisation, `${organisation}/edit`,
      '/people', '/people/new', person, `${person}/edit`,
      '/territories', territory, `${territory}/edit`,
      '/programmes', '/programmes/new', '/programmes/villes-pairs/edit', '/programmes/villes-pairs/categories',
      '/programmes/villes-pairs/sessions/new', `${SESSION}/edit`, `${SESSION}/manage`,
      '/history', '/admin/outbox',
      `${SESSION}/days`, day, `${day}/edit`, `${day}/attendance`, `${SESSION}/regularity`, '/calendar-feeds/mine',
      REF, `${REF}/editions/1`, `${REF}/editions/1/entries/engagement-des-elus`, `${REF}/search?q=énergie`,
      `${REF}/compare`, `${REF}/contributions`, `${REF}/draft`, `${REF}/territories?territory=${territory.split('/').pop()}`,
      '/workshops', WORKSHOP, `${WORKSHOP}/projects`, `${WORKSHOP}/committee`, `${WORKSHOP}/groups`, `${WORKSHOP}/plan`,
      `${WORKSHOP}/roadmap`, `${WORKSHOP}/roadmap/1`, '/workshops/villes-pairs-seconde-session/projects',
      `${WORKSHOP}/projects/new`, '/workshops/villes-pairs-seconde-session/projects/new',
    ];
    pages.push(project, meeting, synthesisBudget, sessionBudget);
    if (delegation) pages.push(delegation);
    if (message) pages.push(message);
    for (const path of pages) {
      await test.step(path, () => check(page, path));
    }

    await test.step('formulaire refusé', async () => {
      await page.goto('/organisations/new');
      await page.locator('#main form button[type=submit]').last().click();
      await expect(page.locator('[role=alert]')).toBeVisible();
      await expectAccessible(page);
    });

    await test.step('en anglais', async () => {
      await page.locator('header a[lang="en"]').click();
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
      for (const path of ['/people', `${SESSION}/manage`, '/history', '/admin/outbox', day, `${day}/attendance`, `${SESSION}/regularity`, REF, `${REF}/draft`, `${REF}/contributions`]) {
        await check(page, path);
      }
    });
  });
});
