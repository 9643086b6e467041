import type { Express } from 'express';

type ExpressFactory = () => Express;

/** Express 5 and Express 4, so every HTTP test runs against both. */
export const expressVersions: Array<[string, ExpressFactory]> = [
  ['express 5', require('express') as ExpressFactory],
  ['express 4', require('express4') as ExpressFactory],
];
