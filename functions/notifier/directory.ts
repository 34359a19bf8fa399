import type { Recipient } from '../../shared/domain/notifications.ts';
import type { StaffUser } from '../../shared/domain/staff.ts';
import type { UserDirectory } from '../../shared/runtime/user-directory.ts';
import type { Directory } from './notify.ts';

/** How many accounts a page of the directory holds. */
const PAGE = 60;

/**
 * The addresses and numbers of a recipient in any user directory (the staff routes' port,
 * shared/runtime/user-directory.ts), where there is no Cognito user pool: a user by id, a role as
 * its enabled members, an organisation as its enabled applicants, as ./inbox.ts directoryMembers
 * counts them. Hearing requesters are not accounts: ./notify.ts withHearingRequesters reads them.
 */
export function userDirectoryContacts(directory: Pick<UserDirectory, 'list' | 'get'>): Directory {
  const accountsOf = async (recipient: Recipient): Promise<StaffUser[]> => {
    switch (recipient.kind) {
      case 'hearingRequesters':
        return [];
      case 'user': {
        const user = await directory.get(recipient.id);
        return user?.enabled ? [user] : [];
      }
      default: {
        const found: StaffUser[] = [];
        let next: string | undefined;
        do {
          const page = await directory.list({ limit: PAGE, ...(next === undefined ? {} : { next }) });
          for (const u of page.users) {
            if (!u.enabled) continue;
            const named =
              recipient.kind === 'role'
                ? u.groups.includes(recipient.role)
                : u.groups.includes('applicant') && u.orgCode === recipient.orgCode;
            if (named) found.push(u);
          }
          next = page.next;
        } while (next !== undefined);
        return found;
      }
    }
  };
  return {
    async addressesOf(recipient) {
      return (await accountsOf(recipient)).flatMap((u) => (u.email ? [u.email] : []));
    },
    async phonesOf(recipient) {
      return (await accountsOf(recipient)).flatMap((u) => (u.phone ? [u.phone] : []));
    },
  };
}
