/**
 * One bench server in its own process: `node <compiled>/bench/server.js <variant>`
 * (see buildServer.ts). Listens on an ephemeral loopback port, reports it over
 * IPC, and answers `sample` messages with its own CPU accounting so the parent can
 * take the CPU time of a load window from the server alone.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { AddressInfo } from 'node:net';
import { buildHealthServer, buildVariant, VARIANTS, type Variant } from './variants';

/** Messages from the parent. */
export type ServerRequest = { type: 'sample' } | { type: 'profile-start' } | { type: 'profile-stop'; file: string } | { type: 'stop' };

/** Messages to the parent. */
export type ServerMessage =
  | { type: 'ready'; port: number }
  | { type: 'sample'; cpuMicros: number; served: number; spans: number; logBytes: number; rssBytes: number; checkRuns: number }
  | { type: 'profile'; file: string };

const variant = process.argv[2] as Variant | 'health';
if (variant !== 'health' && !VARIANTS.includes(variant)) {
  throw new Error(`unknown variant "${variant}", expected health or one of ${VARIANTS.join(', ')}`);
}

// `health <checkMs>` serves the health bench; the others the request-overhead bench.
const built = variant === 'health' ? buildHealthServer(Number(process.argv[3])) : buildVariant(variant);
let profiler: Session | undefined;
let served = 0;
// Counted on 'request' so the count is exact and costs every variant the same.
const server = built.app.listen(0, '127.0.0.1', () => {
  send({ type: 'ready', port: (server.address() as AddressInfo).port });
});
server.on('request', () => void served++);
server.keepAliveTimeout = 60_000;

process.on('message', (message: ServerRequest) => {
  if (message.type === 'sample') {
    const cpu = process.cpuUsage();
    send({
      type: 'sample',
      cpuMicros: cpu.user + cpu.system,
      served,
      spans: built.spans(),
      logBytes: built.logBytes(),
      rssBytes: process.memoryUsage.rss(),
      checkRuns: built.checkRuns?.() ?? 0,
    });
  } else if (message.type === 'profile-start') {
    profiler ??= new Session();
    profiler.connect();
    profiler.post('Profiler.enable', () => profiler!.post('Profiler.start', () => send({ type: 'profile', file: '' })));
  } else if (message.type === 'profile-stop') {
    // V8's sampling profiler, the one behind --cpu-prof, over the load window only.
    profiler!.post('Profiler.stop', (err, result) => {
      if (err) throw err;
      writeFileSync(message.file, JSON.stringify(result.profile));
      profiler!.disconnect();
      send({ type: 'profile', file: message.file });
    });
  } else if (message.type === 'stop') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));

function send(message: ServerMessage): void {
  process.send!(message);
}
