/** The deployment settings read from context: what a wrong `-c …` is told before anything deploys. */
// @ts-nocheck

import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { stageSettings } from '../../infra/stage-settings.ts';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const settings = (context: Record<string, string>) => stageSettings(new App({ context }).node);

describe('stage settings: the console domain', () => {
  it('takes an https origin with its certificate', () => {
    expect(settings({ consoleOrigin: 'https://eia.example.cn', consoleCertificateArn: CERT })).toMatchObject({
      consoleOrigin: 'https://eia.example.cn',
      consoleCertificateArn: CERT,
    });
  });

  it('neither is fine: the console then runs on the distribution’s own domain', () => {
    const s = settings({});
    expect(s.consoleOrigin).toBeUndefined();
    expect(s.consoleCertificateArn).toBeUndefined();
  });

  it.each([
    [{ consoleOrigin: 'https://eia.example.cn' }, /go together/],
    [{ consoleCertificateArn: CERT }, /go together/],
    [{ consoleOrigin: 'http://eia.example.cn', consoleCertificateArn: CERT }, /consoleOrigin must be/],
    [
      { consoleOrigin: 'https://eia.example.cn/console', consoleCertificateArn: CERT },
      /consoleOrigin must be/,
    ],
    [
      {
        consoleOrigin: 'https://eia.example.cn',
        consoleCertificateArn: CERT.replace('us-east-1', 'cn-north-1'),
      },
      /us-east-1/,
    ],
  ])('refuses %j', (context, message) => {
    expect(() => settings(context)).toThrow(message);
  });
});
