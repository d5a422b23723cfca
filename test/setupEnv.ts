// Tests must never reach a real AWS endpoint or the instance metadata service,
// and must not pick up a developer's own AWS profile.
process.env.AWS_EC2_METADATA_DISABLED = 'true';
delete process.env.AWS_PROFILE;
delete process.env.AWS_ENDPOINT_URL;
delete process.env.AWS_ACCESS_KEY_ID;
delete process.env.AWS_SECRET_ACCESS_KEY;
delete process.env.AWS_SESSION_TOKEN;
delete process.env.AWS_WEB_IDENTITY_TOKEN_FILE;
delete process.env.AWS_ROLE_ARN;
process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
// The SDK warns once per process that future versions need Node 22; it is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
