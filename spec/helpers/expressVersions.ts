import type express from 'express';

/** The express module: a factory with `Router`, `json` and friends. */
export type ExpressModule = typeof express;

/** Express 5 and Express 4, so every HTTP test runs against both. */
export const expressVersions: Array<[string, ExpressModule]> = [
  ['express 5', require('express') as ExpressModule],
  ['express 4', require('express4') as ExpressModule],
];
