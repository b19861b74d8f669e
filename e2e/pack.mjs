// The npm package as a user gets it: dist/ packed by `npm pack` into a
// tarball, and that tarball installed into a throwaway app (no registry
// needed: the package has no dependencies). Shared by package.test.mjs and
// bundlers.test.mjs.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { OUT, ROOT } from './helpers.mjs';

const run = promisify(execFile);
const NPM = process.env.NPM || 'npm';

/** Runs a command; on failure the error says what it printed. */
export async function sh(cmd, args, options = {}) {
  try {
    return await run(cmd, args, { maxBuffer: 64 << 20, ...options });
  } catch (err) {
    err.message = `${cmd} ${args.join(' ')} failed (${err.code}):\n${err.stdout ?? ''}${err.stderr ?? ''}`;
    throw err;
  }
}

/**
 * Packs dist/ into test-output/<name>/ and returns npm's own report:
 * {tarball, size (packed bytes), unpackedSize, files: [paths]}.
 */
export async function packDist(name = 'pack') {
  const dir = path.join(OUT, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const { stdout } = await sh(NPM, ['pack', path.join(ROOT, 'dist'), '--pack-destination', dir, '--json', '--silent']);
  const [info] = JSON.parse(stdout);
  return {
    tarball: path.join(dir, info.filename),
    size: info.size,
    unpackedSize: info.unpackedSize,
    files: info.files.map((f) => f.path).sort(),
  };
}

/**
 * A new app folder test-output/apps/<name>/ with the tarball installed
 * (npm install --offline: nothing may come from the registry) and the given
 * files written. Returns its path.
 */
export async function makeApp(name, tarball, files) {
  const dir = path.join(OUT, 'apps', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: `app-${name}`, private: true, type: 'module' }, null, 2)}\n`);
  await sh(NPM, ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', '--silent', tarball], { cwd: dir });
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}
