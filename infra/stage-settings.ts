import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';

/** What differs between deployments. Chosen by context (`-c stage=prod`), never by editing code. */
export interface StageSettings {
  readonly stage: string;
  readonly production: boolean;
  /** Steady-state requests per second and burst, for the whole API stage. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetention: RetentionDays;
  /** Logs, keys and the user pool: kept when a production stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
  /** The web console's origin, allowed by CORS (`-c consoleOrigin=https://eia.example.cn`). */
  readonly consoleOrigin?: string;
  /** Where alarms are mailed (`-c alarmEmail=ops@example.cn`); the SNS topic exists without it. */
  readonly alarmEmail?: string;
  readonly functionMemoryMb: number;
  readonly functionTimeout: Duration;
}

const presets = {
  dev: {
    production: false,
    throttle: { rateLimit: 20, burstLimit: 40 },
    logRetention: RetentionDays.ONE_MONTH,
    removalPolicy: RemovalPolicy.DESTROY,
  },
  prod: {
    production: true,
    throttle: { rateLimit: 100, burstLimit: 200 },
    logRetention: RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  },
} as const;

function optionalString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context ${key} must be a string`);
  return value;
}

/**
 * `prod` gets the production preset; any other stage name (dev, test, a personal stage) the
 * development one, so that several development stacks can live in one account.
 */
export function stageSettings(node: Node): StageSettings {
  const stage = optionalString(node, 'stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(stage)) {
    throw new Error(`context stage must be lower-case letters, digits and '-', at most 16: ${stage}`);
  }
  const consoleOrigin = optionalString(node, 'consoleOrigin');
  if (consoleOrigin !== undefined && !/^https?:\/\/[^/\s]+$/.test(consoleOrigin)) {
    throw new Error(
      `context consoleOrigin must be an origin such as https://eia.example.cn: ${consoleOrigin}`,
    );
  }
  const alarmEmail = optionalString(node, 'alarmEmail');
  return {
    stage,
    ...(stage === 'prod' ? presets.prod : presets.dev),
    ...(consoleOrigin !== undefined ? { consoleOrigin } : {}),
    ...(alarmEmail !== undefined ? { alarmEmail } : {}),
    functionMemoryMb: 512,
    functionTimeout: Duration.seconds(10),
  };
}
