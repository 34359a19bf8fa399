import { describeScanMode } from './scan-mode.ts';

// A global stage deployed with -c malwareProtection=false.
describeScanMode('off', { scan: 'SKIPPED', scanReason: 'turned-off' });
