import type { DemoDataset, IllustrativeLayer } from '../../src/features/demo/data/dataset-types.ts';
export function buildIllustrativeLayer(_d: DemoDataset): IllustrativeLayer {
  return { notice: '', asOf: '', meetings: [], actions: [] };
}
