/**
 * A port nothing listens on, for a test that starts a peer there later or needs a refused connection. Picked below
 * the kernel's ephemeral range (32768–60999 by default): a port found free by binding port 0 could be handed to
 * another test's server (listening on port 0) before it is used — under load it was, and a "down" receiver answered.
 * Each call gives a different port (random, checked free by binding it).
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

const taken = new Set<number>();

const bindable = (port: number, udp: boolean): Promise<boolean> => new Promise((done) => {
  if (udp) {
    const s = createSocket('udp4');
    s.once('error', () => { s.close(); done(false); });
    s.bind(port, '127.0.0.1', () => s.close(() => done(true)));
    return;
  }
  const s = createServer();
  s.once('error', () => done(false));
  s.listen(port, '127.0.0.1', () => s.close(() => done(true)));
});

export const freePort = async (o: { udp?: boolean } = {}): Promise<number> => {
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    if (await bindable(port, o.udp === true)) { taken.add(port); return port; }
  }
  throw new Error('no free port between 20000 and 32000');
};
