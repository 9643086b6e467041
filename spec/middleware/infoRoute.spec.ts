import request from 'supertest';
import type { ObservabilityOptions } from '../../lib/config';
import { expressVersions } from '../helpers/expressVersions';
import { closeAll, testObservability } from '../helpers/testObservability';

afterEach(closeAll);

describe.each(expressVersions)('info route on %s', (_name, express) => {
  function app(options: ObservabilityOptions = {}) {
    const { obs } = testObservability(options);
    const a = express();
    a.use(obs.routes());
    return a;
  }

  it('GET /info: service, build from package.json via express-actuator, runtime; HEAD too', async () => {
    const a = app();
    const res = await request(a).get('/info?x=1').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      service: { name: 'test-service', version: '1.2.3', environment: 'test' },
      build: { name: 'express-observability', version: expect.any(String) },
      runtime: { node: process.version, platform: process.platform },
    });
    await request(a).head('/info').expect(200);
  });

  it('the path is configurable and can be turned off', async () => {
    await request(app({ infoPath: '/about' }))
      .get('/about')
      .expect(200);
    await request(app({ infoPath: false }))
      .get('/info')
      .expect(404);
  });

  it("express-actuator's JSON /metrics never shadows the Prometheus /metrics", async () => {
    const res = await request(app()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^# (HELP|TYPE) /m);
    expect(() => JSON.parse(res.text)).toThrow();
  });
});
