/**
 * Console words for why a file was not scanned for malware (a version's `scanReason`, with scan
 * SKIPPED): [Chinese, English], merged into the table of web/src/i18n.ts. A version without a
 * reason (recorded before reasons were kept) shows the words of `scan_SKIPPED`.
 */
export const scanWords = {
  'scanReason_not-offered-in-region': [
    '未扫描（本区域不提供病毒扫描服务）',
    'not scanned (no virus scanning is offered in this region)',
  ],
  'scanReason_turned-off': [
    '未扫描（本环境已关闭病毒扫描）',
    'not scanned (virus scanning is turned off here)',
  ],
  scanReason_local: [
    '未扫描（本地演示环境没有病毒扫描服务）',
    'not scanned (the local demonstration has no virus scanning)',
  ],
  scanReason_unsupported: [
    '未扫描（文件过大或类型不支持扫描，如加密或设有密码的文件）',
    'not scanned (the file is too large, or of a kind the scanner cannot read, such as an encrypted or password-protected file)',
  ],
  'scanReason_access-denied': [
    '未扫描（扫描服务无权读取该文件）',
    'not scanned (the scanner was not allowed to read the file)',
  ],
  scanReason_failed: [
    '未扫描（扫描服务出错，未能完成扫描）',
    'not scanned (the scanner failed to finish the scan)',
  ],
} as const satisfies Record<string, readonly [string, string]>;
