/**
 * `npm run alerts`: writes the demo's Prometheus rules and Grafana dashboard next
 * to this file, from the SLO config in demoAlerting.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAlertRules, generateDashboard } from '../../index';
import { demoAlerting } from './demoAlerting';

const dir = process.argv[2] ?? __dirname;
writeFileSync(join(dir, 'alerts.yml'), generateAlertRules(demoAlerting));
writeFileSync(
  join(dir, 'dashboard.json'),
  JSON.stringify(generateDashboard({ ...demoAlerting, title: 'Demo shop: SLOs, RED and health' }), null, 2) + '\n',
);
console.log(`wrote ${join(dir, 'alerts.yml')} and ${join(dir, 'dashboard.json')}`);
