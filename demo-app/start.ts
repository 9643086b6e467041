/**
 * `npm run demo`: starts user, product, order and payment services (one process each,
 * ports PORT_BASE+1..+4, default 3001-3004) with every pillar on, prints where to
 * look, and stops them all on Ctrl-C or SIGTERM.
 */
import { startDemo } from './launcher';
import { startDemoMonitoring } from './monitoring/startDemoMonitoring';
import { DEMO_SERVICES, type DemoServiceName } from './shared/serviceNames';

const TAG_COLORS: Record<DemoServiceName, string> = {
  'user-service': '\x1b[36m',
  'product-service': '\x1b[35m',
  'order-service': '\x1b[33m',
  'payment-service': '\x1b[34m',
};

/**
 * JSON lines pass through untouched (each carries `service`, for a log shipper); readable
 * lines get a service tag in front, as docker compose does, since four processes share one terminal.
 */
function writeLine(service: DemoServiceName, line: string, stream: 'stdout' | 'stderr'): void {
  const out = stream === 'stdout' ? process.stdout : process.stderr;
  if (line.startsWith('{')) {
    out.write(line + '\n');
    return;
  }
  const tag = service.padEnd(15);
  out.write(`${out.isTTY ? `${TAG_COLORS[service]}${tag}\x1b[0m` : tag} | ${line}\n`);
}

async function main(): Promise<void> {
  const demo = await startDemo({ onLine: writeLine });
  const { services } = demo;
  const monitoring = await startDemoMonitoring(demo.portBase, process.env);
  const order = services['order-service'].url;
  const lines = [
    '',
    `Observability console of order-service: ${order}/observability/   (each service has one; this one shows whole orders)`,
    '',
    `Demo shop is running${process.env.DATABASE_URL ? ' on PostgreSQL' : ' (in-memory storage; set DATABASE_URL for PostgreSQL)'}:`,
    ...DEMO_SERVICES.map(({ name }) => `  ${name.padEnd(16)} ${services[name].url}`),
    '',
    'Where to look (every service has the same routes):',
    `  console    ${order}/observability/   (health, live RED charts, traces across services, logs, errors)`,
    `  health     ${order}/health/detailed   (also /health, /health/ready, /health/live, /health/startup)`,
    `  metrics    ${order}/metrics`,
    `  traces     ${order}/observability/traces   (one trace: /observability/traces/<traceId>)`,
    `  info       ${order}/info`,
    ...monitoring.lines,
    '',
    'Try:',
    `  curl -s -XPOST ${services['user-service'].url}/users -H 'content-type: application/json' -d '{"email":"ada@example.com","name":"Ada"}'`,
    `  curl -s ${services['product-service'].url}/products`,
    `  curl -s -XPOST ${order}/orders -H 'content-type: application/json' \\`,
    `       -d '{"customerId":"<id from POST /users>","currency":"EUR","items":[{"productId":"p-1001","quantity":1}]}'`,
    `  curl -s -XPOST ${services['payment-service'].url}/admin/failure -H 'content-type: application/json' -d '{"mode":"error"}'`,
    '  npm run demo:traffic        (bounded realistic traffic; same PORT_BASE)',
    '  npm run alerts              (Prometheus rules and Grafana dashboard in demo-app/alerting/)',
    '',
    'Ctrl-C stops all four.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the services...\n`);
    Promise.all([demo.stop(), monitoring.stop()]).then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // A service that dies on its own takes the demo down with it, loudly.
  for (const { name } of DEMO_SERVICES) {
    services[name].child.on('exit', (code, signal) => {
      if (stopping) return;
      console.error(`${name} exited (${signal ?? code}); stopping the demo`);
      stop('SIGTERM');
    });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
