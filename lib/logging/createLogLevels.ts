import type winston from 'winston';
import { LogLevels, type LevelChange } from './LogLevels';

/**
 * The run-time levels of a logger: every named `logger.child({ component })` is tracked so
 * the loggers route can list it, and every change is itself logged at `warn` (who asked,
 * which logger, from and to which level, until when), so a raised level never goes unnoticed.
 */
export function createLogLevels(logger: winston.Logger, accessLog: boolean): LogLevels {
  const levels = new LogLevels(logger, (change) => logChange(logger, change), accessLog ? ['access'] : []);
  const child = logger.child;
  logger.child = function trackedChild(this: winston.Logger, meta: object) {
    const m = meta as { component?: unknown; logger?: unknown } | null | undefined;
    const name = m?.logger ?? m?.component;
    if (typeof name === 'string') levels.track(name);
    return child.call(this, meta);
  };
  return levels;
}

function logChange(logger: winston.Logger, c: LevelChange): void {
  const fields: Record<string, unknown> = {
    component: 'log-levels',
    'log_level.logger': c.name,
    'log_level.from': c.from,
    'log_level.to': c.to,
    'log_level.reason': c.reason,
  };
  if (c.until !== undefined) fields['log_level.until'] = c.until.toISOString();
  if (c.by !== undefined) fields['client.address'] = c.by;
  logger.warn(c.until === undefined ? 'log level reverted' : 'log level changed', fields);
}
