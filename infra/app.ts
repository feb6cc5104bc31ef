/** The CDK app (cdk.json runs it with tsx): `npx cdk synth`, `npx cdk deploy -c stage=dev|prod`. */
import { App } from 'aws-cdk-lib';
import { defineApp } from './define-app.ts';

defineApp(new App());
