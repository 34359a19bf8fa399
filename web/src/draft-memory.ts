/**
 * What a person typed and uploaded on a form, kept in the tab's sessionStorage until it is saved,
 * so that a reload (or a lost connection) loses nothing. Kept per form (`new`, `walk-in`, an
 * application id, an action on an application) and tied to the application version it started
 * from: once the application has changed on the server, the older copy is dropped, never applied
 * over newer data. sessionStorage, not localStorage: closing the tab on a shared computer leaves
 * nothing behind; and a kept form is shown to no one but the person who typed it (keepFormsOf).
 */
export interface KeptForm {
  /** The application version the form was opened on; undefined for a new draft. */
  version?: number;
  /** Field values by their path (`project.name`). */
  fields: Record<string, string>;
  /** Uploaded materials (stored bytes) not saved into the application yet, by material code. */
  materials: Record<string, unknown>;
  savedAt: string;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const PREFIX = 'eia.form.';

export function keepForm(
  store: KeyValueStore,
  key: string,
  form: Omit<KeptForm, 'savedAt'>,
  now = new Date(),
) {
  try {
    store.setItem(PREFIX + key, JSON.stringify({ ...form, savedAt: now.toISOString() }));
  } catch {
    // Storage full or refused (private mode): the form still works, only without this safety net.
  }
}

/** The kept form for `key` if it was started on `version` (or is a new draft's); else nothing, and it is dropped. */
export function keptForm(store: KeyValueStore, key: string, version?: number): KeptForm | undefined {
  let raw: string | null;
  try {
    raw = store.getItem(PREFIX + key);
  } catch {
    return undefined;
  }
  if (!raw) return undefined;
  try {
    const kept = JSON.parse(raw) as Partial<KeptForm>;
    const valid =
      typeof kept === 'object' &&
      kept !== null &&
      typeof kept.fields === 'object' &&
      kept.fields !== null &&
      typeof kept.materials === 'object' &&
      kept.materials !== null &&
      kept.version === version;
    if (valid) return kept as KeptForm;
  } catch {
    // Not ours or broken: dropped below.
  }
  forgetForm(store, key);
  return undefined;
}

export function forgetForm(store: KeyValueStore, key: string): void {
  try {
    store.removeItem(PREFIX + key);
  } catch {
    // Nothing to do.
  }
}

/** A store whose keys can be listed, as the browser's Storage. */
export interface ListedStore extends KeyValueStore {
  readonly length: number;
  key(index: number): string | null;
}

/** Who typed the forms kept in this tab (the `sub` of their session). */
const OWNER = 'eia.forms-of';

/**
 * Kept forms belong to the person who typed them. When someone else is signed in in this tab (a
 * shared computer: one signs out, the next signs in), everything the one before kept is dropped
 * before any page can show it. Signing out alone keeps them: the same person signing back in (an
 * expired sign-in) finds their work where they left it. Not signed in: nothing changes.
 */
export function keepFormsOf(store: ListedStore, sub: string | undefined): void {
  if (sub === undefined) return;
  try {
    const owner = store.getItem(OWNER);
    if (owner === sub) return;
    if (owner !== null) forgetForms(store);
    store.setItem(OWNER, sub);
  } catch {
    // Storage refused: nothing was kept either.
  }
}

/** The keys of the forms kept in this tab. */
export function keptForms(store: ListedStore): string[] {
  const kept: string[] = [];
  try {
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i);
      if (key?.startsWith(PREFIX)) kept.push(key);
    }
  } catch {
    // Storage refused: nothing was kept.
  }
  return kept;
}

/**
 * Drops every form kept in this tab: when someone else signs in, and when the person signs out on
 * purpose (the button; on a shared computer nothing they typed is left for the next one). An
 * expired sign-in keeps them for the same person's return.
 */
export function forgetForms(store: ListedStore): void {
  for (const key of keptForms(store)) forgetForm(store, key.slice(PREFIX.length));
}

/** Moves a new draft's kept form to the application it became (its first upload created it). */
export function moveForm(store: KeyValueStore, from: string, to: string, version: number): void {
  const kept = keptForm(store, from);
  forgetForm(store, from);
  if (kept) keepForm(store, to, { ...kept, version });
}
