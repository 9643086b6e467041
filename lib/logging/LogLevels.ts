import type winston from 'winston';

/** The name of the root logger in {@link LogLevels}. */
export const ROOT_LOGGER = 'root';

/** Longest a level change may last: one day. */
export const MAX_LEVEL_DURATION_MS = 86_400_000;

/** Named loggers tracked for listing; past this, further `child()` names are not listed. */
const MAX_TRACKED_NAMES = 200;

/** Loggers with a temporary level at once. */
export const MAX_LEVEL_OVERRIDES = 100;

/** What one logger's level is, as the loggers route shows it. */
export interface LoggerLevel {
  /** `root`, or the `component` (or `logger`) of a child logger. */
  readonly name: string;
  /** The level lines of this logger are written at now. */
  readonly level: string;
  /** The level it returns to: the configured one for the root, the root's for a child. */
  readonly defaultLevel: string;
  /** When a temporary level reverts (ISO 8601), if one is set. */
  readonly until?: string;
}

/** A level change, as it is reported to the listener (which logs it). */
export interface LevelChange {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  /** When the new level reverts; undefined when this change is the revert. */
  readonly until: Date | undefined;
  readonly reason: 'set' | 'reset' | 'expired';
  /** Who asked (the client address), for changes made through the loggers route. */
  readonly by: string | undefined;
}

interface Override {
  readonly level: string;
  readonly until: number;
  readonly timer: NodeJS.Timeout;
}

/**
 * Levels of the root logger and of its named child loggers (`logger.child({ component })`)
 * changed at run time, each for a bounded time after which it reverts by itself.
 *
 * winston filters a child's lines with the root logger's level, in the logger and again in
 * each transport. So while any logger is raised, the root logger's `level` is the most
 * verbose level in force, and {@link LogLevels.allows} (which the logger's guard asks for
 * every line meanwhile) holds each line to the level of the logger that wrote it.
 */
export class LogLevels {
  private readonly overrides = new Map<string, Override>();
  private readonly names = new Set<string>();
  private readonly configured: string;
  private closed = false;

  constructor(
    private readonly logger: winston.Logger,
    private readonly onChange: (change: LevelChange) => void,
    fixedNames: readonly string[] = [],
  ) {
    this.configured = logger.level;
    for (const n of fixedNames) this.names.add(n);
  }

  /** The levels winston knows, most severe first. */
  get accepted(): string[] {
    const levels = this.logger.levels;
    return Object.keys(levels).sort((a, b) => levels[a]! - levels[b]!);
  }

  /** Records a named logger so it is listed (called for each `child()` with a name). */
  track(name: string): void {
    if (this.names.size < MAX_TRACKED_NAMES && name !== ROOT_LOGGER) this.names.add(name);
  }

  /** True while some logger has a temporary level (only then {@link LogLevels.allows} must be asked). */
  get active(): boolean {
    return this.overrides.size > 0;
  }

  /**
   * True when the level of the logger named `name` (undefined: the root) admits a line at
   * `level`. Whether some transport takes it is winston's own check (`isLevelEnabled`).
   */
  allows(level: string, name: string | undefined): boolean {
    const levels = this.logger.levels;
    const value = levels[level];
    if (value === undefined) return false;
    const own = name === undefined ? undefined : this.overrides.get(name);
    return value <= levels[own ? own.level : this.rootLevel()]!;
  }

  /** Every known logger with its level, the root first. */
  list(): LoggerLevel[] {
    const named = [...new Set([...this.names, ...this.overrides.keys()])].filter((n) => n !== ROOT_LOGGER).sort();
    return [ROOT_LOGGER, ...named].map((n) => this.get(n));
  }

  /** One logger's level (a name never seen answers with the root's level, as its lines would). */
  get(name: string): LoggerLevel {
    const o = this.overrides.get(name);
    const defaultLevel = name === ROOT_LOGGER ? this.configured : this.rootLevel();
    return { name, level: o ? o.level : defaultLevel, defaultLevel, ...(o ? { until: new Date(o.until).toISOString() } : {}) };
  }

  /**
   * Sets `name` to `level` for `durationMs`, replacing a temporary level it already has.
   * Throws a RangeError past {@link MAX_LEVEL_OVERRIDES} loggers or after close.
   */
  set(name: string, level: string, durationMs: number, by?: string): LoggerLevel {
    if (this.closed) throw new RangeError('the logger is shut down');
    if (!(level in this.logger.levels)) throw new RangeError(`unknown level ${level}`);
    const existing = this.overrides.get(name);
    if (!existing && this.overrides.size >= MAX_LEVEL_OVERRIDES) {
      throw new RangeError(`at most ${MAX_LEVEL_OVERRIDES} loggers can have a temporary level at once`);
    }
    const from = this.get(name).level;
    if (existing) clearTimeout(existing.timer);
    const until = Date.now() + Math.min(durationMs, MAX_LEVEL_DURATION_MS);
    const timer = setTimeout(() => this.revert(name, 'expired'), until - Date.now());
    timer.unref();
    this.overrides.set(name, { level, until, timer });
    this.track(name);
    this.apply();
    this.onChange({ name, from, to: level, until: new Date(until), reason: 'set', by });
    return this.get(name);
  }

  /** Reverts `name` to its default level now; a logger without a temporary level is left as it is. */
  reset(name: string, by?: string): LoggerLevel {
    this.revert(name, 'reset', by);
    return this.get(name);
  }

  /** Clears every timer and returns the loggers to their levels (at shutdown); idempotent. */
  close(): void {
    this.closed = true;
    for (const o of this.overrides.values()) clearTimeout(o.timer);
    this.overrides.clear();
    this.apply();
  }

  private revert(name: string, reason: 'reset' | 'expired', by?: string): void {
    const o = this.overrides.get(name);
    if (!o) return;
    clearTimeout(o.timer);
    const from = o.level;
    this.overrides.delete(name);
    this.apply();
    this.onChange({ name, from, to: this.get(name).level, until: undefined, reason, by });
  }

  private rootLevel(): string {
    return this.overrides.get(ROOT_LOGGER)?.level ?? this.configured;
  }

  /** The root logger's level: the most verbose in force, so winston lets every wanted line through. */
  private apply(): void {
    const levels = this.logger.levels;
    let level = this.rootLevel();
    for (const o of this.overrides.values()) if (levels[o.level]! > levels[level]!) level = o.level;
    this.logger.level = level;
  }
}
