import type { Config } from '../config.ts';
import type { ReviewsContext } from './reviews/reviews.service.ts';

/** What every feature's routes and services get: the database, the clock, caches and settings. */
export interface AppContext extends ReviewsContext {
  config: Config;
}
