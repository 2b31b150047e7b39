// A local npm registry for tests of install recipes: it serves the packuments and tarballs of the
// packages it is given (packed tarballs, as `npm publish` would upload them) over HTTP on 127.0.0.1,
// and answers 404 for every other name, so an install that reaches for a package the recipe should
// have replaced (get-port itself) fails instead of fetching it from the real registry. npm, pnpm and
// yarn classic all install from it with `registry=<url>`.

import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package.json inside a packed tarball (`package/package.json`). */
function manifestOf(tarball) {
  return JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
}

/**
 * Serves `tarballs` (paths of `.tgz` files) on `port` at 127.0.0.1. Resolves `{ url, requested, close }`:
 * `url` ends with `/`; `requested` lists every package name asked for (served or not), in order.
 */
export function startRegistry(tarballs, port) {
  const packages = new Map();
  const files = new Map();
  const requested = [];
  let url;
  for (const tarball of tarballs) {
    const data = readFileSync(tarball);
    const manifest = manifestOf(tarball);
    const file = basename(tarball);
    files.set(file, data);
    const entry = packages.get(manifest.name) ?? { versions: {} };
    entry.versions[manifest.version] = {
      manifest,
      dist: {
        file,
        shasum: createHash('sha1').update(data).digest('hex'),
        integrity: `sha512-${createHash('sha512').update(data).digest('base64')}`,
      },
    };
    packages.set(manifest.name, entry);
  }
  const packument = (name, entry) => {
    const versions = {};
    for (const [version, { manifest, dist }] of Object.entries(entry.versions)) {
      versions[version] = {
        ...manifest,
        _id: `${name}@${version}`,
        dist: { tarball: `${url}-/${dist.file}`, shasum: dist.shasum, integrity: dist.integrity },
      };
    }
    const latest = Object.keys(versions).at(-1);
    return { name, 'dist-tags': { latest }, versions };
  };
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname).slice(1);
    if (path === '-/requested') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(requested));
      return;
    }
    if (path.startsWith('-/') && files.has(path.slice(2))) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(files.get(path.slice(2)));
      return;
    }
    requested.push(path);
    const entry = packages.get(path);
    if (request.method === 'GET' && entry) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(packument(path, entry)));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: 'not found' }));
  });
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => {
      server.unref();
      url = `http://127.0.0.1:${port}/`;
      resolve({
        url,
        requested,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/**
 * {@link startRegistry} in a child process, for tests that install synchronously (execFileSync would
 * block this process's event loop, and an in-process registry could not answer). Resolves
 * `{ url, requested(), close() }`; `requested()` fetches the names asked for so far.
 */
export function startRegistryProcess(tarballs, port) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), String(port), ...tarballs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/`;
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the registry exited (${code}) before it was ready`)));
    child.stdout.once('data', () => {
      child.removeAllListeners('exit');
      // Ready: from now on it must not hold this process open (close() ends it; so does our exit).
      child.unref();
      child.stdout.destroy();
      resolve({
        url,
        requested: async () => (await fetch(`${url}-/requested`)).json(),
        close: () => child.kill(),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [port, ...tarballs] = process.argv.slice(2);
  const registry = await startRegistry(tarballs, Number(port));
  // Served until killed; this process exists for nothing else.
  const keepAlive = setInterval(() => {}, 60_000);
  process.on('SIGTERM', () => {
    clearInterval(keepAlive);
    registry.close().then(() => process.exit(0));
  });
  process.stdout.write('ready\n');
}
