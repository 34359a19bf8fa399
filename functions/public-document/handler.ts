import { open } from '../../shared/http/api.ts';
import { chainVerified, documentByNumber } from '../../shared/http/documents.ts';
import { json } from '../../shared/http/respond.ts';
import { getAuditStore, getStore } from '../../shared/runtime/clients.ts';

/**
 * GET /public/documents/{number}: verifies an issued document by its number (what its QR code
 * opens): {number, kind, issuedOn, sha256, caseNumber, chainVerified}. `sha256` is the one the
 * application's audit trail records for it; `chainVerified` whether that trail is intact (its hash
 * chain, and the application as its replay). 404 for a number never issued or not yet stored.
 */
export const handler = open(async (req) => {
  const number = req.params.number ?? '';
  const { app, ref } = await documentByNumber(getStore(), number);
  const verified = await chainVerified(getAuditStore(), app.id);
  return json(
    200,
    {
      number: ref.number,
      kind: ref.kind,
      issuedOn: ref.issuedOn,
      sha256: ref.sha256,
      caseNumber: app.caseNumber ?? null,
      chainVerified: verified,
    },
    { 'cache-control': 'no-store' },
  );
});
