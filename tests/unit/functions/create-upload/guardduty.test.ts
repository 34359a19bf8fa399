import { describeScanMode } from './scan-mode.ts';

// Where GuardDuty scans the bucket (MALWARE_SCAN=guardduty), a new upload waits for its verdict.
describeScanMode('guardduty', { scan: 'PENDING', scanReason: undefined });
