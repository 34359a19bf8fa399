import { describeScanMode } from './scan-mode.ts';

// Profile china: GuardDuty Malware Protection for S3 is not offered in the region.
describeScanMode('off-in-region', { scan: 'SKIPPED', scanReason: 'not-offered-in-region' });
