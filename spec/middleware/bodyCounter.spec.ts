import { ServerResponse } from 'node:http';
import request from 'supertest';
import { expressVersions } from '../helpers/expressVersions';
import { closeAll, testObservability } from '../helpers/testObservability';
import { logLines } from '../lib/logging/logLines';

afterEach(closeAll);

const proto = ServerResponse.prototype;
// What this process had before any instance of this file: Node's own methods (inherited).
const before = {
  write: proto.write,
  end: proto.end,
  own: [Object.hasOwn(proto, 'write'), Object.hasOwn(proto, 'end')],
};
const isOriginal = () =>
  proto.write === before.write &&
  proto.end === before.end &&
  [Object.hasOwn(proto, 'write'), Object.hasOwn(proto, 'end')].join() === before.own.join();

describe.each(expressVersions)('response byte counting on %s', (_name, express) => {
  function service() {
    const { obs, logs } = testObservability({ tracing: false });
    const app = express();
    app.use(obs.middleware());
    app.get('/text', (_req, res) => void res.send('x'.repeat(1234)));
    app.get('/stream', (_req, res) => {
      res.write('abc');
      res.write(Buffer.from('é', 'utf8'));
      res.end('def', 'utf8');
    });
    const bodySize = (path: string) =>
      logLines(logs).find((l) => l.logger === 'access' && l['url.path'] === path)?.[
        'http.response.body.size'
      ];
    return { obs, app, bodySize };
  }

  it('an instance that never builds its middleware leaves ServerResponse.prototype alone', async () => {
    const { obs } = testObservability({ tracing: false });
    expect(isOriginal()).toBe(true);
    await obs.shutdown();
    expect(isOriginal()).toBe(true);
  });

  it("after the last instance shuts down, write and end are Node's own again", async () => {
    const a = service();
    expect(isOriginal()).toBe(false);
    await request(a.app).get('/stream').expect(200, 'abcédef');
    expect(a.bodySize('/stream')).toBe(Buffer.byteLength('abcédef'));
    await a.obs.shutdown();
    expect(isOriginal()).toBe(true);
    // A middleware built after shutdown does not patch again (nothing would release it).
    a.obs.middleware();
    expect(isOriginal()).toBe(true);
  });

  it('with two instances, shutting one down keeps counting for the other', async () => {
    const a = service();
    const b = service();
    // More middleware of one instance, and a repeated shutdown, still release only once.
    a.obs.middleware({ routes: true });
    await a.obs.shutdown();
    await a.obs.shutdown();
    expect(isOriginal()).toBe(false);
    await request(b.app).get('/text').expect(200);
    expect(b.bodySize('/text')).toBe(1234);
    await b.obs.shutdown();
    expect(isOriginal()).toBe(true);

    // A new instance installs the counting again, and counts.
    const c = service();
    await request(c.app).get('/text').expect(200);
    expect(c.bodySize('/text')).toBe(1234);
    await c.obs.shutdown();
    expect(isOriginal()).toBe(true);
  });

  it('a wrapper added over ours (an agent, another copy) survives shutdown, and ours is reused, not stacked', async () => {
    const a = service();
    const ours = proto.write;
    const foreign = function foreignWrite(this: ServerResponse, ...args: unknown[]) {
      return (ours as (...x: unknown[]) => boolean).apply(this, args);
    } as ServerResponse['write'];
    proto.write = foreign;
    await a.obs.shutdown();
    expect(proto.write).toBe(foreign);
    const b = service();
    expect(proto.write).toBe(foreign);
    await request(b.app).get('/stream').expect(200);
    expect(b.bodySize('/stream')).toBe(Buffer.byteLength('abcédef'));
    await b.obs.shutdown();
    // The agent goes away; the next last shutdown then restores Node's methods.
    proto.write = ours;
    const c = service();
    await c.obs.shutdown();
    expect(isOriginal()).toBe(true);
  });
});
