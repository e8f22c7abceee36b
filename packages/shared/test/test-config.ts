// The default loyalty configuration, parsed, for table-driven rule tests.
import raw from '../../../config/loyalty.json';
import { parseLoyaltyConfig } from '../src/config/loyalty.schema';

export const testConfig = parseLoyaltyConfig(raw);
