import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** Compte créé par global-setup.ts avant le démarrage du serveur. */
export const ORGANISER = {
  email: 'organisatrice@exemple.fr',
  password: 'motdepasse-e2e-2019',
  role: 'organiser',
} as const;

/**
 * Compte d'une personne déléguée de la démonstration (Loos-en-Gohelle, seconde session), créé
 * par global-setup.ts : la démonstration lui donne son siège par son adresse.
 */
export const DELEGATE = {
  email: 'alix.arnaud.0@exemple.fr',
  password: 'motdepasse-deleguee-2019',
  role: 'delegate',
} as const;

/** Règles vérifiées : WCAG 2.0 et 2.1, niveaux A et AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Analyse la page avec axe-core et échoue s'il y a la moindre violation,
 * en listant pour chacune : règle, impact, éléments fautifs et aide.
 */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const report = results.violations.map((violation) => {
    const targets = violation.nodes
      .map((node) => node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))).join(' '))
      .map((selector) => `      ${selector}`)
      .join('\n');
    return (
      `  - ${violation.id} [${violation.impact ?? 'impact inconnu'}] ${violation.help}\n` +
      `    ${violation.helpUrl}\n${targets}`
    );
  });
  expect(
    report.length,
    `${report.length} violation(s) d'accessibilité sur ${page.url()} :\n${report.join('\n')}`,
  ).toBe(0);
}

/**
 * Se connecte par le formulaire de /login et attend d'avoir quitté la page de connexion.
 */
export async function login(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  const form = page.locator('form', { has: page.locator('input[name=password]') });
  await form.locator('input[name=email]').fill(email);
  await form.locator('input[name=password]').fill(password);
  await form.locator('button[type=submit]').click();
  try {
    await page.waitForURL((url) => url.pathname !== '/login', { timeout: 10_000 });
  } catch {
    const alerts = (await page.locator('[role=alert]').allInnerTexts()).join(' / ');
    throw new Error(`connexion refusée pour ${email} (toujours sur ${page.url()})${alerts ? ` : ${alerts}` : ''}`);
  }
  await page.waitForLoadState();
}
