import { expect, test } from '@playwright/test';
import { expectAccessible } from '../helpers';

// Parcours d'un visiteur non connecté sur les données de démonstration (serve --demo).

test.describe('visiteur', () => {
  test("accueil, programme, session, connexion", async ({ page }) => {
    await test.step("page d'accueil", async () => {
      await page.goto('/');
      await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
      await expect(page).toHaveTitle(/\S/);
      await expect(page.locator('h1')).toHaveCount(1);

      // Le lien d'évitement est le premier élément atteint au clavier.
      const skipLink = page.locator('a[href="#main"]');
      await expect(skipLink).toHaveCount(1);
      await expect(page.locator('#main')).toHaveCount(1);
      await page.keyboard.press('Tab');
      await expect(skipLink).toBeFocused();

      await expectAccessible(page);
    });

    await test.step('programme « Villes Pairs »', async () => {
      await page.locator('a', { hasText: 'Villes Pairs' }).first().click();
      await expect(page.locator('h1')).toContainText('Villes Pairs');
      await expectAccessible(page);
    });

    await test.step('seconde session du programme', async () => {
      await page.locator('a', { hasText: 'Seconde session' }).first().click();
      const main = page.locator('#main');
      // Montant de la participation, quel que soit l'espace des milliers (normal, insécable, fine).
      await expect(main).toContainText(/2\s500/);
      await expect(main).toContainText(/à confirmer/i);
      await expectAccessible(page);
    });

    await test.step('page de connexion', async () => {
      await page.goto('/login');
      await expect(page.locator('input[name=email]')).toBeVisible();
      await expect(page.locator('input[name=password]')).toBeVisible();
      await expectAccessible(page);
    });
  });

  test("passage à l'anglais", async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');

    const header = page.locator('header');
    const english = header
      .locator('a[lang="en"], button[lang="en"]')
      .or(header.getByRole('link', { name: 'English' }))
      .or(header.getByRole('button', { name: 'English' }));
    await english.first().click();

    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expectAccessible(page);
  });
});
