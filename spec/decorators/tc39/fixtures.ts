import { defineFixtures } from '../shared/fixtures';
import * as metadataDecorators from './metadataDecorators';

/** The shared fixtures, compiled in this folder's project (tc39 decorators). */
export const fixtures = defineFixtures(metadataDecorators);
