import { expect, test } from '@playwright/test';
import { ORGANISER, expectAccessible, login } from '../helpers';

// An organiser runs a workshop day of the demonstration's second session: sets the November
// day from a date poll, builds its agenda and peer groups, prints the sign-in sheet, checks
// people in on a phone, records a stand-in, and reads the regularity.

const SESSION = '/programmes/villes-pairs/sessions/seconde-session';

test.describe('journées', () => {
  test('sondage, programme, groupes, émargement, pointage, assiduité', async ({ page }) => {
    test.setTimeout(120_000);
    await login(page, ORGANISER.email, ORGANISER.password);

    await test.step('la journée de novembre est à fixer', async () => {
      await page.goto(SESSION);
      await page.locator('#main a', { hasText: 'Les journées' }).click();
      await expect(page.locator('h1')).toContainText('Journées');
      await expectAccessible(page);
      await page.locator('#main a', { hasText: 'à fixer en novembre 2019' }).click();
      await expect(page.locator('h1')).toContainText('Journée 4');
      await expectAccessible(page);
    });

    await test.step('un sondage fixe la date', async () => {
      await page.locator('#f-dates').fill('19/11/2019\n26/11/2019');
      await page.getByRole('button', { name: 'Ouvrir le sondage' }).click();
      await expect(page.locator('#poll table')).toContainText('26 novembre 2019');
      await expectAccessible(page);
      await page.getByRole('radio', { name: '26 novembre 2019' }).check();
      await page.getByRole('button', { name: 'Fixer cette date et prévenir tout le monde' }).click();
      await expect(page.locator('h1')).toContainText('Journée 4 — 26 novembre 2019');
    });

    await test.step('le programme et les groupes entre pairs', async () => {
      const add = async (from: string, to: string, title: string, format: string, size = '', added = true) => {
        await page.locator('#f-starts_at').fill(from);
        await page.locator('#f-ends_at').fill(to);
        await page.locator('#f-title').fill(title);
        await page.locator('#f-format').selectOption(format);
        await page.locator('#f-group_size').fill(size);
        await page.locator('#f-room').fill('Grande salle');
        await page.getByRole('button', { name: 'Ajouter une séquence' }).click();
        if (added) await expect(page.locator('#agenda article')).toContainText([title]);
      };
      await add('09:30', '10:30', 'Accueil', 'plenary');
      await add('10:00', '11:00', 'Chevauchement', 'plenary', '', false);
      await expect(page.locator('[role=alert]')).toContainText('déjà prise par « Accueil »');
      await expectAccessible(page);
      await add('10:45', '12:30', 'Les élus entre eux', 'by_category');
      await add('14:00', '16:00', 'Nos enjeux en groupes mixtes', 'mixed', '6');
      await page.getByRole('button', { name: 'Composer les groupes de « Les élus entre eux »' }).click();
      await page.getByRole('button', { name: 'Composer les groupes de « Nos enjeux en groupes mixtes »' }).click();
      await expect(page.locator('#agenda')).toContainText('Groupe 4 (');
      await expectAccessible(page);
    });

    await test.step("la feuille d'émargement", async () => {
      const href = await page.locator('#main a', { hasText: "Feuille d'émargement" }).getAttribute('href');
      const pdf = await page.request.get(href as string);
      expect(pdf.status()).toBe(200);
      expect(pdf.headers()['content-type']).toContain('application/pdf');
      expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    });

    await test.step('le pointage sur un téléphone, avec un·e remplaçant·e', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.locator('#main a', { hasText: 'Pointer les présences' }).click();
      await expect(page.locator('h1')).toContainText('Présences');
      await expectAccessible(page);
      const rows = page.locator('.check-in');
      const first = rows.nth(0);
      const second = rows.nth(1);
      const firstName = (await first.locator('.who strong').innerText()).trim();
      const secondName = (await second.locator('.who strong').innerText()).trim();
      await first.getByRole('button', { name: `Présent·e : ${firstName}` }).click();
      await expect(first.locator('.state')).toContainText('Présent·e');
      await second.getByRole('button', { name: `Présent·e : ${secondName}` }).click();
      await expect(second.locator('.state')).toContainText('Présent·e');
      const third = rows.nth(2);
      await third.locator('summary').click();
      await third.locator('input[name=full_name]').fill('Inès Remplaçante');
      await third.getByRole('button', { name: 'Noter le remplacement' }).click();
      await expect(third.locator('.state')).toContainText('remplacé·e par Inès Remplaçante');
      await page.reload();
      await expect(page.getByRole('status').first()).toContainText('2 présent·es sur 22');
      await expectAccessible(page);
    });

    await test.step("l'assiduité compte les personnes, pas les remplaçant·es", async () => {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${SESSION}/regularity`);
      const day = page.locator('#regularity-days tr', { hasText: 'Journée 4' });
      await expect(day.locator('td')).toHaveText(['2', '22', '9 %']);
      await expect(page.locator('#main')).toContainText('Remplacements notés : 2');
      await expectAccessible(page);
    });
  });
});
