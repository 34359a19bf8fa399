import { describe, expect, it } from 'vitest';
import { decide } from '../../../../shared/domain/decide.ts';
import { ValidationError } from '../../../../shared/domain/errors.ts';
import type { Material } from '../../../../shared/domain/types.ts';
import { callers, driveTo, material, payloads, refusal } from './fixtures.ts';

/**
 * The officials' files on their acts: record_expert_opinion and record_hearing_outcome take
 * `attachments` of their own code only, keep them on the application and in the event. Whether the
 * bytes are stored is checked outside the domain (shared/http/material-check.ts).
 */
const file = (code: string, n = 1): Material => ({
  ...material(code, n),
  uploadId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  contentType: 'application/pdf',
});

describe('attachments', () => {
  it('record_expert_opinion keeps its files in expertReview.attachments and in the event', () => {
    const { app, now } = driveTo('EXPERT_REVIEW');
    const attachments = [file('EXPERT_OPINION', 1), file('EXPERT_OPINION', 2)];
    const step = decide(
      app,
      'record_expert_opinion',
      callers.reviewer,
      { ...payloads.record_expert_opinion, attachments },
      { now, requestId: 'r' },
    );
    expect(step.app.expertReview?.attachments).toEqual(attachments);
    expect(step.event.payload).toMatchObject({ attachments });
    expect(step.event.changes).toMatchObject({ expertReview: { attachments } });
  });

  it('record_hearing_outcome keeps its files in hearing.attachments', () => {
    const { app, now } = driveTo('HEARING');
    const attachments = [file('HEARING_RECORD')];
    const step = decide(
      app,
      'record_hearing_outcome',
      callers.reviewer,
      { ...payloads.record_hearing_outcome, attachments },
      { now, requestId: 'r' },
    );
    expect(step.app.hearing?.attachments).toEqual(attachments);
    expect(step.app.hearing?.summary).toBe(payloads.record_hearing_outcome.summary);
  });

  it('without attachments, the acts record no attachments field at all', () => {
    const { app, now } = driveTo('EXPERT_REVIEW');
    const step = decide(app, 'record_expert_opinion', callers.reviewer, payloads.record_expert_opinion, {
      now,
      requestId: 'r',
    });
    expect(step.app.expertReview).not.toHaveProperty('attachments');
  });

  it.each([
    ['record_expert_opinion', 'EXPERT_REVIEW', 'HEARING_RECORD'],
    ['record_hearing_outcome', 'HEARING', 'EXPERT_OPINION'],
    ['record_expert_opinion', 'EXPERT_REVIEW', 'EIA_DOCUMENT'],
  ] as const)('%s refuses a file of another code (%s, %s) with 400 naming it', (action, state, code) => {
    const { app, now } = driveTo(state);
    const error = refusal(
      () =>
        decide(
          app,
          action,
          callers.reviewer,
          { ...payloads[action], attachments: [file(code)] },
          {
            now,
            requestId: 'r',
          },
        ),
      ValidationError,
      400,
    );
    expect(error.issues?.map((i) => i.path)).toEqual(['attachments.0.code']);
  });

  it('refuses the same file twice, and more than 20', () => {
    const { app, now } = driveTo('EXPERT_REVIEW');
    const twice = [
      file('EXPERT_OPINION', 1),
      { ...file('EXPERT_OPINION', 1), uploadId: file('X', 2).uploadId },
    ];
    for (const attachments of [twice, Array.from({ length: 21 }, (_, i) => file('EXPERT_OPINION', i + 1))]) {
      const error = refusal(
        () =>
          decide(
            app,
            'record_expert_opinion',
            callers.reviewer,
            { ...payloads.record_expert_opinion, attachments },
            {
              now,
              requestId: 'r',
            },
          ),
        ValidationError,
        400,
      );
      expect(error.issues?.map((i) => i.path)).toEqual(['attachments']);
    }
  });
});
