/**
 * Typed access to request members with AWS-style validation errors. Each service
 * passes its own error code (ECS: InvalidParameterException, Tagging:
 * InvalidParameterException, Organizations: InvalidInputException, STS:
 * ValidationError).
 */
import { AwsError } from './wire';

export type Input = Record<string, unknown>;

export class InputReader {
  constructor(
    private readonly input: Input,
    private readonly errorCode: string,
  ) {}

  /** The members as they arrived, for readers of protocol-specific shapes. */
  get raw(): Input {
    return this.input;
  }

  fail(message: string): never {
    throw new AwsError(this.errorCode, message, 400);
  }

  string(key: string): string | undefined {
    const v = this.input[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.fail(`${key} must be a string`);
    return v;
  }

  requiredString(key: string): string {
    const v = this.string(key);
    if (v === undefined || v === '') this.fail(`${key} is required`);
    return v;
  }

  /** Integer within [min, max]; `def` when absent. */
  int(key: string, min: number, max: number, def: number): number {
    const raw = this.input[key];
    if (raw === undefined || raw === null) return def;
    const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(`${key} must be an integer`);
    if (v < min || v > max) this.fail(`${key} must be between ${min} and ${max}, got ${v}`);
    return v;
  }

  boolean(key: string): boolean | undefined {
    const v = this.input[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') this.fail(`${key} must be a boolean`);
    return v;
  }

  stringList(key: string): string[] | undefined {
    const v = this.input[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) this.fail(`${key} must be a list of strings`);
    return v as string[];
  }

  list(key: string): unknown[] | undefined {
    const v = this.input[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) this.fail(`${key} must be a list`);
    return v;
  }
}
