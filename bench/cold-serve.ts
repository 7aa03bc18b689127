/**
 * A server for bench/cold-gets.ts, configured from the environment as `npm run serve` is, in a
 * process of its own. argv[2]:
 *
 * - `product`: the real core and HTTP API on a fresh catalog, starting the first sync as soon as it
 *   listens (as `serve` does at start): the GETs meet a catalog that is still being filled.
 * - `seed-like`: what the seed service did for every `GET /recordings/{dispatch_id}`: list the
 *   candidate prefixes in S3 (one live look-up per request), pick the recording, presign its URLs.
 *
 * Run with `--import tsx --import ./test/support/emulator-quirks-preload.ts` (for the emulator).
 */
import { createServer } from 'node:http';
import { parseDispatchId, pickRecordingFor } from '../shared/dispatch.ts';
import { singleLibraryServices } from '../electron/core/app/single-library-services.ts';
import { readConfig } from '../electron/core/config.ts';
import { createApiServer, listen } from '../electron/core/http/api-server.ts';
import { openLibrary } from '../electron/core/library/open-library.ts';
import { silentLogger } from '../electron/core/logger.ts';
import { serveParent } from './child-messages.ts';

const config = readConfig();
const core = openLibrary(config, { log: silentLogger });
const storage = core.storage!;

if (process.argv[2] === 'seed-like') {
  const server = createServer((request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const dispatch = parseDispatchId(decodeURIComponent((request.url ?? '').replace(/^\/recordings\//, '')));
    if (!dispatch) return answer(422, { detail: 'not a dispatch id' });
    void (async () => {
      const picked = pickRecordingFor(dispatch, await storage.bucket.findCandidates(dispatch));
      if (!picked) return answer(404, { detail: 'Recording not found.' });
      const batch = await storage.signer.batch();
      const listen = batch.sign(picked.key, 3600);
      answer(200, {
        recording_url: listen.url,
        download_url: batch.sign(picked.key, 3600, 'attachment').url,
        dispatch_id: dispatch.id,
        s3_key: picked.key,
        expires_in: listen.expiresIn,
        expires_at: listen.expiresAt,
      });
    })().catch((error: unknown) => answer(503, { detail: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, config.host, resolve));
  const address = server.address() as { port: number };
  serveParent(`http://${config.host}:${address.port}`, async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    core.close();
  });
} else {
  const services = singleLibraryServices(core, { log: silentLogger });
  const app = createApiServer(services, silentLogger);
  const url = await listen(app, config.host, config.port);
  services.sync.start(); // the start-up sync, as `serve` runs it
  serveParent(url, async () => {
    await app.close();
    core.close();
  });
}
