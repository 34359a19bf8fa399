// @ts-nocheck
import { createServer } from 'node:net';

/**
 * A TCP port that is free right now. Another process may still take it before we bind, so callers
 * that pass it to a child process retry on "address in use".
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    // Bind on all interfaces, as DynamoDB Local does, so a port in use anywhere is skipped.
    server.listen(0, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port the OS assigned'));
      });
    });
  });
}
