import { expect, test } from '@playwright/test';
import { expectAccessible } from '../helpers';

// Choisir son territoire dans les listes officielles (importées par global-setup.ts), dans le
// formulaire de candidature de la seconde session :
//  1. avec JavaScript, les résultats suivent la frappe (htmx) et le choix reste coché ;
//  2. « Rechercher » renvoie le formulaire avec les résultats, comme sans JavaScript ;
//  3. sans JavaScript du tout, le même parcours aboutit, et /places est une page à part entière.

const APPLY = '/programmes/villes-pairs/sessions/seconde-session/apply';

test.describe('listes officielles', () => {
  test('les résultats suivent la frappe', async ({ page }) => {
    await page.goto(APPLY);
    await expectAccessible(page);
    await page.locator('#f-place').pressSequentially('loos-en', { delay: 40 });
    const loos = page.getByLabel(/^Loos-en-Gohelle \(62\) — commune/);
    await expect(loos).toBeVisible();
    await expect(page.locator('#place-status')).toContainText('Un territoire trouvé');
    await loos.check();
    await expectAccessible(page);

    // Une autre recherche garde le choix s'il figure encore parmi les résultats.
    await page.locator('#f-place').fill('loos');
    await expect(page.locator('#place-status')).toContainText('territoires trouvés');
    await expect(page.getByLabel(/^Loos-en-Gohelle \(62\)/)).toBeChecked();
    await page.locator('#f-place').fill('lens');
    await expect(page.getByLabel(/^CA de Lens - Liévin — intercommunalité/)).toBeVisible();

    // « Rechercher » : le formulaire revient avec les résultats, sans rien créer.
    await page.locator('#f-place').fill('saint die');
    await page.locator('button[name=place_search]').click();
    await expect(page.getByLabel(/^Saint-Dié-des-Vosges \(88\)/)).toBeVisible();
    await expect(page.locator('#f-place')).toHaveValue('saint die');
    await expectAccessible(page);
  });

  test.describe('sans JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('rechercher puis choisir', async ({ page }) => {
      await page.goto(APPLY);
      await page.locator('#f-place').fill('evry');
      await page.locator('button[name=place_search]').click();
      const evry = page.getByLabel(/^Évry-Courcouronnes \(91\) — commune/);
      await expect(evry).toBeVisible();
      await expect(page.locator('#place-status')).toContainText('territoires trouvés');
      await evry.check();

      await page.goto('/places?q=mene');
      await expect(page.locator('h1')).toContainText('Listes officielles des territoires');
      await expect(page.locator('#main')).toContainText('Le Mené (22) — commune');
    });
  });
});
