import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

// Arrête le serveur lancé par global-setup.ts (SIGTERM, puis SIGKILL après 10 s)
// et supprime son répertoire temporaire. Le journal du serveur est conservé dans
// test-results/fabrique-serve.log pour l'examen des échecs.

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function globalTeardown(): Promise<void> {
  const pid = Number(process.env.FABRIQUE_E2E_PID);
  if (pid > 0 && alive(pid)) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (alive(pid)) {
      console.warn(`fabrique serve (pid ${pid}) ignore SIGTERM : SIGKILL`);
      process.kill(pid, 'SIGKILL');
    }
  }

  const dir = process.env.FABRIQUE_E2E_DIR;
  if (dir && existsSync(dir)) {
    const log = path.join(dir, 'serve.log');
    if (existsSync(log)) {
      const results = path.join(__dirname, 'test-results');
      mkdirSync(results, { recursive: true });
      copyFileSync(log, path.join(results, 'fabrique-serve.log'));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
