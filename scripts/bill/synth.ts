import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../infra/build-app.ts';
import type { Profile } from './compute.ts';
import type { CfnTemplate } from './template.ts';

/** Placeholders for the china profile's external OpenID Connect provider (not contacted). */
export const CHINA_OIDC = {
  oidcIssuer: 'https://id.bureau.example.cn',
  oidcAudience: 'eia-console',
} as const;

export interface Synthesized {
  readonly templates: CfnTemplate[];
  /** The profile the app actually built: an app without the china profile builds global. */
  readonly builtProfile: Profile;
  readonly note?: string;
}

/**
 * The production stage's templates, synthesized in this process as `cdk synth -c stage=prod
 * -c profile=… [-c key=value …]` would (functions not bundled: their code does not change what is
 * billed). `settings`: more context, such as `alarms: 'essential'`.
 */
export function synthesize(profile: Profile, settings: Readonly<Record<string, string>> = {}): Synthesized {
  const context: Record<string, unknown> = {
    ...settings,
    stage: 'prod',
    profile,
    'aws:cdk:bundling-stacks': [],
    ...(profile === 'china' ? CHINA_OIDC : {}),
  };
  const outdir = mkdtempSync(join(tmpdir(), 'eia-bill-'));
  try {
    const built = buildApp(new App({ context, outdir }));
    const assembly = built.app.synth();
    const templates = assembly.stacks.map((s) => s.template as CfnTemplate);
    const known = (built.settings as { profile?: unknown }).profile;
    if (profile === 'china' && known !== 'china') {
      return {
        templates,
        builtProfile: 'global',
        note: 'The app does not build the china profile yet (settings.profile is not "china"): the global templates are billed at China-region prices, and the services absent there (Cognito, SES) are marked as not offered.',
      };
    }
    return { templates, builtProfile: profile };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
