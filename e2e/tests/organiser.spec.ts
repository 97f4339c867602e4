import { expect, test } from '@playwright/test';
import { ORGANISER, expectAccessible, login } from '../helpers';

// Parcours d'une organisatrice sur les données de démonstration :
//  1. se connecter avec le compte créé par global-setup.ts ;
//  2. créer un territoire par /territories/new et voir sa page ;
//  3. ouvrir la délégation de Loos-en-Gohelle pour la seconde session, y ajouter une personne
//     dans une catégorie, la voir listée et voir ce qui manque diminuer ;
//  4. retrouver la création du territoire dans la section #history de sa page.

const SESSION = '/programmes/villes-pairs/sessions/seconde-session';

test.describe('organisatrice', () => {
  test('crée un territoire, délègue une personne, consulte l’historique', async ({ page }) => {
    await login(page, ORGANISER.email, ORGANISER.password);

    await test.step('création d’un territoire', async () => {
      await page.goto('/territories/new');
      await expect(page.locator('h1')).toHaveCount(1);
      await expectAccessible(page);
      await page.locator('#f-name').fill("Commune nouvelle d'exemple");
      await page.locator('#f-kind').selectOption('commune');
      await page.locator('#f-official_code').fill('62041');
      await page.locator('#main form button[type=submit]').last().click();
      await expect(page.locator('h1')).toHaveText("Commune nouvelle d'exemple");
      await expect(page.locator('#main')).toContainText('62041');
      await expectAccessible(page);
    });

    await test.step('une erreur de saisie est signalée à côté du champ', async () => {
      await page.goto('/territories/new');
      await page.locator('#f-name').fill('Code faux');
      await page.locator('#f-kind').selectOption('commune');
      await page.locator('#f-official_code').fill('ABC');
      await page.locator('#main form button[type=submit]').last().click();
      await expect(page.locator('[role=alert]')).toBeVisible();
      await expect(page.locator('#f-official_code')).toHaveAttribute('aria-invalid', 'true');
      await expectAccessible(page);
    });

    await test.step('délégation de Loos-en-Gohelle', async () => {
      await page.goto(SESSION);
      const href = await page.locator('#main a', { hasText: 'Loos-en-Gohelle' }).first().getAttribute('href');
      const id = href?.match(/\/territories\/(\d+)/)?.[1];
      expect(id, 'lien vers le territoire sur la page de session').toBeTruthy();
      await page.goto(`${SESSION}/territories/${id}/delegation`);
      await expect(page.locator('h1')).toHaveCount(1);
      await expectAccessible(page);
      const delegates = page.locator('#main section[aria-labelledby^="cat-"] li', { hasText: 'Camille Martin' });
      await expect(delegates).toHaveCount(0);
      const firstGap = page.locator('#main section[aria-labelledby^="cat-"]').first().locator('p').first();
      const gapBefore = await firstGap.innerText();
      await page.locator('select[name=person_id]').selectOption({ label: 'Camille Martin' });
      await page.locator('select[name=category_id]').selectOption({ index: 1 });
      await page.locator('select[name=person_id]').locator('xpath=ancestor::form').locator('button[type=submit]').click();
      await expect(delegates).toHaveCount(1);
      await expect(firstGap).not.toHaveText(gapBefore);
      await expectAccessible(page);
    });

    await test.step('historique du territoire créé', async () => {
      await page.goto('/territories?q=Commune+nouvelle');
      await page.locator('#main a', { hasText: "Commune nouvelle d'exemple" }).first().click();
      const history = page.locator('#history');
      await expect(history).toBeVisible();
      await expect(history).toContainText('Création');
      await expect(history).toContainText('organisatrice');
      await expectAccessible(page);
    });
  });
});
