import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DELEGATE, ORGANISER } from './helpers';

// Prépare un serveur Fabrique jetable pour la durée des tests :
//  1. un répertoire temporaire avec une base SQLite neuve ;
//  2. un compte organisatrice et un compte de personne déléguée (`fabrique user create`, qui
//     applique aussi les migrations) ;
//  3. les listes officielles des territoires (`fabrique reference import`) ;
//  4. `fabrique serve --demo` sur un port libre, attendu jusqu'à ce que /healthz réponde 200.
// L'adresse est publiée dans FABRIQUE_BASE_URL ; global-teardown.ts arrête le serveur
// (FABRIQUE_E2E_PID) et supprime le répertoire (FABRIQUE_E2E_DIR).

const STARTUP_TIMEOUT_MS = 30_000;

export function fabriqueBinary(): string {
  return process.env.FABRIQUE_BIN || path.resolve(__dirname, '..', 'target', 'debug', 'fabrique');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('aucun port libre'))));
    });
  });
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(journal illisible)';
  }
}

export default async function globalSetup(): Promise<void> {
  const bin = fabriqueBinary();
  if (!existsSync(bin)) {
    throw new Error(`binaire introuvable : ${bin} (compiler d'abord : cargo build -p fabrique)`);
  }

  const dir = mkdtempSync(path.join(tmpdir(), 'fabrique-e2e-'));
  process.env.FABRIQUE_E2E_DIR = dir;
  const databaseUrl = `sqlite://${path.join(dir, 'e2e.db')}`;
  const env = { ...process.env, NO_COLOR: '1' };

  let server: ChildProcess | undefined;
  try {
    for (const account of [ORGANISER, DELEGATE]) {
      const created = spawnSync(
        bin,
        [
          'user', 'create',
          '--database-url', databaseUrl,
          '--email', account.email,
          '--role', account.role,
          '--password-stdin',
        ],
        { input: account.password, encoding: 'utf8', env, timeout: STARTUP_TIMEOUT_MS },
      );
      if (created.status !== 0) {
        throw new Error(
          `fabrique user create a échoué (statut ${created.status ?? created.signal}) :\n` +
            `${created.stdout ?? ''}${created.stderr ?? ''}${created.error ? String(created.error) : ''}`,
        );
      }
    }

    // Les listes officielles (communes, EPCI…) que le formulaire de candidature propose.
    const imported = spawnSync(bin, ['reference', 'import', '--database-url', databaseUrl], {
      encoding: 'utf8',
      env,
      timeout: 120_000,
    });
    if (imported.status !== 0) {
      throw new Error(
        `fabrique reference import a échoué (statut ${imported.status ?? imported.signal}) :\n` +
          `${imported.stdout ?? ''}${imported.stderr ?? ''}${imported.error ? String(imported.error) : ''}`,
      );
    }

    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}`;
    const logFile = path.join(dir, 'serve.log');
    const log = openSync(logFile, 'a');
    server = spawn(bin, ['serve', '--demo', '--bind', `127.0.0.1:${port}`, '--database-url', databaseUrl], {
      env,
      stdio: ['ignore', log, log],
    });
    closeSync(log);

    let exited: string | undefined;
    server.on('error', (error) => {
      exited = String(error);
    });
    server.on('exit', (code, signal) => {
      exited = `code ${code ?? signal}`;
    });
    if (server.pid === undefined) {
      throw new Error(`impossible de lancer ${bin} serve`);
    }
    process.env.FABRIQUE_E2E_PID = String(server.pid);

    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    for (;;) {
      if (exited) {
        throw new Error(`fabrique serve s'est arrêté au démarrage (${exited}) :\n${tail(logFile)}`);
      }
      try {
        const response = await fetch(`${baseURL}/healthz`, { signal: AbortSignal.timeout(2_000) });
        if (response.status === 200) break;
      } catch {
        // pas encore à l'écoute
      }
      if (Date.now() > deadline) {
        throw new Error(`/healthz ne répond pas 200 après ${STARTUP_TIMEOUT_MS / 1000} s :\n${tail(logFile)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    process.env.FABRIQUE_BASE_URL = baseURL;
    console.log(`fabrique serve --demo prêt sur ${baseURL} (pid ${server.pid}, données dans ${dir})`);
  } catch (error) {
    server?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
