import { expect, test, type Page } from '@playwright/test';
import { ORGANISER, expectAccessible, login } from '../helpers';

// Parcours du recrutement de la seconde session de démonstration :
//  1. l'organisatrice rouvre l'appel (la date limite de 2019 est passée) ;
//  2. une visiteuse envoie une demande d'information, puis candidate pour un collectif :
//     compte, brouillon, profil, thèmes, délégation proposée, dépôt ;
//  3. l'organisatrice suit la proposition sur la page de sélection (présélectionne puis retient
//     un territoire proposé) et retient aussi le collectif ;
//  4. la référente du collectif complète sa délégation en invitant une personne par courriel ;
//  5. l'organisatrice lit le lien dans la boîte d'envoi ; la personne invitée crée son compte
//     par ce lien, qui ne sert qu'une fois.
// Chaque page visitée passe la vérification d'accessibilité axe-core.

const SESSION = '/programmes/villes-pairs/sessions/seconde-session';
const APPLICANT = { name: 'Agathe Essai', email: 'agathe.essai@exemple.fr', password: 'un-mot-de-passe-solide' };
const COLLECTIVE = 'Collectif de la Vallée d’essai';
const INVITED = { name: 'Basile Invité', email: 'basile.invite@exemple.fr', password: 'encore-un-mot-de-passe' };

async function logout(page: Page): Promise<void> {
  await page.locator('form[action="/logout"] button').click();
  await page.waitForLoadState();
}

test.describe('recrutement', () => {
  test('demande, candidature, sélection, délégation, invitation', async ({ page }) => {
    // A whole recruitment, from the call to the invited delegate's first visit.
    test.setTimeout(120_000);
    await test.step("l'organisatrice rouvre l'appel", async () => {
      await login(page, ORGANISER.email, ORGANISER.password);
      await page.goto(`${SESSION}/call`);
      await expectAccessible(page);
      await page.locator('#f-deadline').fill('');
      await page.locator('form[action$="/call"] button[type=submit]').click();
      await expect(page.locator('#main')).toContainText('Déposer une candidature');
      await logout(page);
    });

    await test.step("une visiteuse demande des informations", async () => {
      await page.goto(`${SESSION}/call`);
      await expect(page.locator('h1')).toContainText('Appel à candidatures');
      await expect(page.locator('#main')).toContainText('2 500');
      await expectAccessible(page);
      await page.locator('#f-full_name').fill(APPLICANT.name);
      await page.locator('#f-organisation').fill(COLLECTIVE);
      await page.locator('#f-email').fill(APPLICANT.email);
      await page.locator('#f-message').fill('Un collectif citoyen peut-il candidater ?');
      await page.locator('form[action$="/inquiries"] button[type=submit]').click();
      await expect(page.locator('#inquiry [role=status]')).toContainText('bien été transmis');
      await expectAccessible(page);
    });

    let applicationUrl = '';
    await test.step('elle candidate pour son collectif', async () => {
      await page.locator('#main a', { hasText: 'Déposer une candidature' }).click();
      await expect(page.locator('h1')).toContainText('Nouvelle candidature');
      await expectAccessible(page);
      await page.locator('#f-full_name').fill(APPLICANT.name);
      await page.locator('#f-email').fill(APPLICANT.email);
      await page.locator('#f-password').fill(APPLICANT.password);
      await page.locator('#f-mode-free').check();
      await page.locator('#f-free_name').fill(COLLECTIVE);
      await page.locator('#f-free_kind').selectOption('collective');
      await page.locator('form[action$="/apply"] button[type=submit]').last().click();
      await expect(page.locator('h1')).toContainText(COLLECTIVE);
      await expect(page.locator('#main')).toContainText('Brouillon');
      applicationUrl = new URL(page.url()).pathname;
      await expectAccessible(page);

      // Déposer sans profil : refusé, l'erreur est à côté du champ.
      await page.locator('button[name=action][value=submit]').click();
      await expect(page.locator('[role=alert]')).toBeVisible();
      await expect(page.locator('#f-experience')).toHaveAttribute('aria-invalid', 'true');
      await expectAccessible(page);

      await page.locator('#f-experience').selectOption('newly_engaged');
      await page.locator('#f-carried_by').selectOption('citizens');
      await page.locator('#theme-food').check();
      await page.locator('#theme-engagement').check();
      await page.locator('#f-trajectory').fill('Un collectif d’habitants qui anime un marché de producteurs.');
      await page.locator('#f-milestones').fill('2017 Premier forum\n2019-03 Marché de producteurs');
      await page.locator('#f-motivation').fill('Apprendre à travailler avec les élus.');
      await page.locator('[id="f-delegates[4].full_name"]').fill('Chloé Habitante');
      await page.locator('[id="f-delegates[4].email"]').fill('chloe.habitante@exemple.fr');
      await page.locator('button[name=action][value=submit]').click();
      await expect(page.locator('#main')).toContainText('Déposée');
      await expect(page.locator('#main')).toContainText('son profil ne change plus');
      await expectAccessible(page);
      await logout(page);
    });

    await test.step("l'organisatrice suit la proposition", async () => {
      await login(page, ORGANISER.email, ORGANISER.password);
      await page.goto(`${SESSION}/applications`);
      await expect(page.locator('h1')).toContainText('Candidatures et sélection');
      await expect(page.locator('#main')).toContainText('Cohorte proposée');
      await expectAccessible(page);
      // Un territoire proposé et seulement déposé : présélectionné puis retenu.
      const proposed = page
        .locator('tr', { has: page.locator('.badge.ok') })
        .filter({ has: page.locator('button', { hasText: 'Présélectionner' }) })
        .first();
      const territory = (await proposed.locator('th a').innerText()).trim();
      await proposed.locator('button', { hasText: 'Présélectionner' }).click();
      await page.goto(`${SESSION}/applications`);
      const row = page.locator('tr', { has: page.locator('th a', { hasText: territory }) });
      await row.getByRole('button', { name: `Retenir : ${territory}`, exact: true }).click();
      await page.goto(`${SESSION}/applications`);
      await expect(page.locator('tr', { has: page.locator('th a', { hasText: territory }) })).toContainText('Retenue');
      await expectAccessible(page);

      // Le collectif est retenu depuis sa candidature, avec un mot pour la référente.
      await page.goto(applicationUrl);
      await expectAccessible(page);
      await page.locator('form', { has: page.locator('input[name=to][value=shortlisted]') }).locator('button').click();
      const accept = page.locator('form', { has: page.locator('input[name=to][value=accepted]') });
      await accept.locator('textarea').fill('Bienvenue dans la seconde session.');
      await accept.locator('button').click();
      await expect(page.locator('#main')).toContainText('Retenue');
      await logout(page);
    });

    await test.step('la référente complète la délégation', async () => {
      await login(page, APPLICANT.email, APPLICANT.password);
      await page.goto(applicationUrl);
      await page.locator('#main a', { hasText: 'Compléter et inviter la délégation' }).click();
      await expect(page.locator('h1')).toContainText(COLLECTIVE);
      await expect(page.locator('#main')).toContainText('Chloé Habitante');
      await expectAccessible(page);
      await page.locator('#f-invite_name').fill(INVITED.name);
      await page.locator('#f-invite_email').fill(INVITED.email);
      await page.locator('#f-invite_category').selectOption({ index: 1 });
      await page.locator('form[action$="/invitations"] button[type=submit]').click();
      await expect(page.locator('li', { hasText: INVITED.name })).toContainText('invitation en attente');
      await expectAccessible(page);
      await logout(page);
    });

    let link = '';
    await test.step("l'organisatrice lit l'invitation dans la boîte d'envoi", async () => {
      await login(page, ORGANISER.email, ORGANISER.password);
      await page.goto('/admin/outbox');
      await expectAccessible(page);
      await page.locator('#main tr', { hasText: INVITED.email }).first().locator('a').click();
      await expectAccessible(page);
      const body = await page.locator('#main').innerText();
      link = body.match(/https?:\/\/\S+\/invitations\/[0-9a-f]+/)?.[0] ?? '';
      expect(link, "lien d'invitation dans le courriel").toBeTruthy();
      await logout(page);
    });

    await test.step("la personne invitée accepte, une seule fois", async () => {
      await page.goto(new URL(link).pathname);
      await expect(page.locator('#main')).toContainText(COLLECTIVE);
      await expectAccessible(page);
      await page.locator('#f-password').fill(INVITED.password);
      await page.locator('#main form button[type=submit]').click();
      await page.waitForURL((url) => !url.pathname.startsWith('/invitations/'));
      await expect(page.locator('.who')).toContainText(INVITED.name);
      await logout(page);
      await page.goto(new URL(link).pathname);
      await expect(page.locator('#main [role=alert]')).toContainText('déjà été utilisé');
      await expectAccessible(page);
    });
  });
});
