// @ts-nocheck
import { buildApp } from './build-app.ts';

// `npm run synth` (cdk synth) runs this; it needs no AWS account.
buildApp().app.synth();
