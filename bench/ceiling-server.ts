/**
 * The machine's ceiling: a bare `node:http` server that answers every request with one fixed JSON
 * body of the size given in argv[2], with the headers the product sends. Whatever the product does
 * beyond this (routing, validation, SQLite, signing, serialising) is what the ratio to it measures.
 */
import { createServer } from 'node:http';
import { serveParent } from './child-messages.ts';

const size = Number(process.argv[2]);
if (!Number.isInteger(size) || size < 2)
  throw new Error(`body size must be an integer ≥ 2, got ${process.argv[2]}`);
const body = Buffer.from(`"${'x'.repeat(size - 2)}"`);
const headers = {
  'content-type': 'application/json; charset=utf-8',
  'content-length': String(body.length),
  'cache-control': 'no-store',
};

const server = createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the ceiling server has no address');
  serveParent(`http://127.0.0.1:${address.port}`, async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
