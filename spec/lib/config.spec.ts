import { resolveConfig } from '../../lib/config';
import { ObservabilityConfigError } from '../../lib/configError';

describe('resolveConfig', () => {
  it('takes the service name from the option, else OTEL_SERVICE_NAME, else package.json', () => {
    expect(resolveConfig({ serviceName: 'orders', env: {} }).serviceName).toBe('orders');
    expect(resolveConfig({ env: { OTEL_SERVICE_NAME: 'from-env' } }).serviceName).toBe('from-env');
    expect(resolveConfig({ env: {} }).serviceName).toBe('express-observability');
  });

  it('reads the environment from NODE_ENV and turns on production defaults', () => {
    const c = resolveConfig({ env: { NODE_ENV: 'production' } });
    expect(c.environment).toBe('production');
    expect(c.production).toBe(true);
    expect(c.health.showDetails).toBe('authorized');
    expect(resolveConfig({ env: {} }).environment).toBe('development');
  });

  it.each([
    [{ serviceName: '' }, /option "serviceName" is ""; expected a non-empty string/],
    [{ requestId: { header: 'x request' } }, /option "requestId.header" is "x request"/],
    [{ requestId: { maxLength: -1 } }, /option "requestId.maxLength" is -1/],
    [{ infoPath: 'info' }, /option "infoPath" is "info"; expected a path starting with "\/"/],
    [{ global: 'yes' }, /option "global" is "yes"; expected true or false/],
    [{ onError: 42 }, /option "onError" is 42; expected a function/],
  ])('throws naming the option for %j', (options, message) => {
    expect(() => resolveConfig({ env: {}, ...(options as object) })).toThrow(ObservabilityConfigError);
    expect(() => resolveConfig({ env: {}, ...(options as object) })).toThrow(message);
  });

  it('rejects a non-object', () => {
    expect(() => resolveConfig('orders' as never)).toThrow(/option "options" is "orders"/);
  });
});
