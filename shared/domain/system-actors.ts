/**
 * The names the audit trail records for the system's own steps, as a reader of the trail sees them
 * (the Chinese console shows them as they are): each in words, none with a Latin letter. A name is
 * stored with each event, so a change names new events only; the events already written keep theirs.
 */
export const systemActorNames = {
  /** The sweeper: deemed acceptance, the end of notice periods, the clock's marks, recounted dates. */
  sweeper: '到期检查',
  /** The documents function: records each issued document (`issue_document`). */
  documents: '文书系统',
  /** The public: a comment or a hearing request received through the public routes. */
  public: '公众',
} as const;
