/** Console words for the inbox part: [Chinese, English], merged into the table of web/src/i18n.ts. */
export const inboxWords = {
  navInbox: ['消息', 'Inbox'],
  inboxUnreadHidden: ['，{n} 条未读', ', {n} unread'],
  inboxTitle: ['我的消息', 'My inbox'],
  inboxIntro: [
    '发给您本人、您的岗位或您的单位的通知，最新的在前。打开一条即标为已读。',
    'Notifications sent to you, to your role or to your organisation, newest first. Opening one marks it read.',
  ],
  inboxUnreadSummary: ['{n} 条未读', '{n} unread'],
  inboxAllRead: ['全部已读', 'All read'],
  inboxEmpty: ['暂无消息。', 'No messages yet.'],
  inboxMarkAll: ['全部标为已读', 'Mark all as read'],
  inboxMarkOne: ['标为已读', 'Mark as read'],
  inboxMarkedAll: ['已全部标为已读。', 'All messages are marked read.'],
  inboxMarkedOne: ['已标为已读。', 'Marked as read.'],
  inboxUnread: ['未读', 'Unread'],
  inboxRead: ['已读', 'Read'],
  inboxReceived: ['时间', 'Sent'],
  inboxDeadline: ['办理期限', 'Act by'],
  inboxDeadlineProvisional: ['{d}（暂定）', '{d} (provisional)'],
  inboxOpenCase: ['打开案件', 'Open the case'],
  inboxOpenCalendar: ['打开节假日安排', 'Open the calendar'],
} as const satisfies Record<string, readonly [string, string]>;
