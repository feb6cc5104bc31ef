/**
 * The AWS SDK warns once per process that it will soon require Node 22. Lambda runs Node 22; this machine
 * runs Node 20 only for local work. The SDK's own switch turns off exactly that warning and no other.
 */
export const quietNodeVersionWarning = (): void => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
};
