/** The system's own steps are recorded under names a reader of the trail reads: no Latin letter. */
import { describe, expect, it } from 'vitest';
import { publicActor } from '../../../../shared/domain/comments.ts';
import { SYSTEM, sweepStep } from '../../../../shared/domain/deadlines.ts';
import { systemStep } from '../../../../shared/domain/decide.ts';
import { systemActorNames } from '../../../../shared/domain/system-actors.ts';
import { at, driveTo } from './fixtures.ts';

const latin = /[A-Za-z]/;

describe('system actor names', () => {
  it('every name is words, in Chinese, without a Latin letter', () => {
    const names = Object.entries(systemActorNames);
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const [who, name] of names) {
      expect(name.trim(), who).not.toBe('');
      expect(name, who).not.toMatch(latin);
      expect(name, who).toMatch(/^[\u4e00-\u9fff]+$/);
    }
    // Each one names one of the system's parts.
    expect(new Set(names.map(([, name]) => name)).size).toBe(names.length);
  });

  it('the sweeper, deemed acceptance, the documents function and the public carry them', () => {
    const actors = [
      publicActor,
      { role: SYSTEM.roles[0], name: SYSTEM.name },
      systemStep(driveTo('UNDER_REVIEW').app, 'close_comment_period', {}, { now: new Date(), requestId: 'r' })
        .event.actor,
    ];
    for (const actor of actors) {
      expect(actor.role).toBe('system');
      expect(Object.values(systemActorNames)).toContain(actor.name);
      expect(actor.name).not.toMatch(latin);
    }
  });

  it("a sweep's events, deemed acceptance among them, are recorded under the sweeper's name", () => {
    // Submitted and left: deemed accepted once the completeness check's days are past.
    const t = driveTo('SUBMITTED', 'REPORT', { on: '2026-03-02' });
    const step = sweepStep(t.app, { now: at('2026-04-01', '02:00'), requestId: 'sweep' });
    expect(step?.event.action).toBe('accept');
    expect(step?.event.actor).toEqual({ id: 'system', role: 'system', name: '到期检查' });
  });
});
