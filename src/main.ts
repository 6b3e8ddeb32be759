// Entry point of the compiled build: `node dist/main.js serve` runs Clasp without tsx.
import { main } from './cli.ts';

await main();
