/**
 * Points the process's AWS SDK at the emulator the way a user points it at AWS:
 * with the standard environment variables only. Returns a function that puts
 * the previous environment back.
 */
export function useAwsEnvironment(vars: Record<string, string | undefined>): () => void {
  const names = [
    'AWS_ENDPOINT_URL',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_REGION',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_ROLE_ARN',
    'AWS_ROLE_SESSION_NAME',
    ...Object.keys(vars),
  ];
  const saved = new Map(names.map(name => [name, process.env[name]]));
  for (const name of names) delete process.env[name];
  for (const [name, value] of Object.entries(vars)) {
    if (value !== undefined) process.env[name] = value;
  }
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
