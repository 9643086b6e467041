import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import type { Express } from 'express';
import { quantile } from './stats';

/** Nanoseconds to build one request (`new IncomingMessage`) and attach state to it one way. */
export interface PropertyAddRow {
  readonly case: string;
  readonly ns: number;
}

/**
 * Why the request middleware avoids new own properties on `req`/`res`: Express swaps the
 * prototype of both (`Object.setPrototypeOf(req, app.request)`) before any middleware runs,
 * and V8 then takes a slow, uncached map transition for every property added afterwards.
 * Each case builds a request (as Express receives it), optionally swaps its prototype as
 * Express does, then attaches state; medians over rounds, whole cost per request.
 */
export function runPropertyAddBench(opts: { smoke: boolean }): PropertyAddRow[] {
  const express = require('express') as () => Express;
  const app = express();
  const socket = new Socket();
  const states = new WeakMap<object, object>();
  const key = Symbol('state');
  const cases: Record<string, (req: Record<PropertyKey, unknown>) => void> = {
    'swapped prototype, nothing attached': () => undefined,
    'swapped prototype + one symbol property': (req) => void (req[key] = {}),
    'swapped prototype + one accessor (Object.defineProperty)': (req) =>
      void Object.defineProperty(req, 'route', { configurable: true, get: () => 1, set: () => undefined }),
    'swapped prototype + one WeakMap entry': (req) => void states.set(req, {}),
    'prototype not swapped + one symbol property': (req) => void (req[key] = {}),
  };
  const n = opts.smoke ? 2_000 : 50_000;
  const samples: Record<string, number[]> = {};
  for (let round = 0; round < (opts.smoke ? 1 : 7); round++) {
    for (const [name, attach] of Object.entries(cases)) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) {
        const req = new IncomingMessage(socket);
        if (name.startsWith('swapped')) Object.setPrototypeOf(req, app.request);
        attach(req as unknown as Record<PropertyKey, unknown>);
      }
      (samples[name] ??= []).push(Number(process.hrtime.bigint() - start) / n);
    }
  }
  return Object.keys(cases).map((c) => ({ case: c, ns: quantile(samples[c], 0.5) }));
}
