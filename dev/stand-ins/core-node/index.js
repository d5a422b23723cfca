'use strict';
const { GetResourcesCommand, ResourceGroupsTaggingAPIClient } = require('@aws-sdk/client-resource-groups-tagging-api');
const { DefaultAwsCredentialsManager } = require('@backstage/integration-aws-node');
const { AWS_SDK_CUSTOM_USER_AGENT } = require('@aws/aws-core-plugin-for-backstage-common');

/** `k=v,k2=v2` as the tab reads it: split at commas and at every `=`, keeping the part before the second; nothing trimmed. */
function parseResourceLocatorTags(tagString) {
  return tagString.split(',').map(pair => {
    const parts = pair.split('=');
    return { key: parts[0], value: parts[1] };
  });
}

/** `AWS::ECS::Service` -> `ecs:service`. */
function resourceTypeFilter(resourceType) {
  const parts = resourceType.split('::');
  if (parts.length !== 3) throw new Error(`Invalid resource type ${resourceType}`);
  return `${parts[1].toLowerCase()}:${parts[2].toLowerCase()}`;
}

/** The Tagging API locator, one client per configured account and region (aws.locator.resourceTaggingApi), one page. */
class AwsResourceTaggingApiLocator {
  constructor(clients) {
    this.clients = clients;
  }

  static async fromConfig(config) {
    const conf = config.getOptionalConfig('aws.locator.resourceTaggingApi');
    const accounts = (conf && conf.getOptionalStringArray('accounts')) || [undefined];
    const regions = (conf && conf.getOptionalStringArray('regions')) || [undefined];
    const credsManager = DefaultAwsCredentialsManager.fromConfig(config);
    const clients = [];
    for (const accountId of accounts) {
      const { sdkCredentialProvider } = await credsManager.getCredentialProvider(accountId ? { accountId } : undefined);
      for (const region of regions) {
        clients.push(new ResourceGroupsTaggingAPIClient({ region, customUserAgent: AWS_SDK_CUSTOM_USER_AGENT, credentialDefaultProvider: () => sdkCredentialProvider }));
      }
    }
    return new AwsResourceTaggingApiLocator(clients);
  }

  async getResourceArns({ resourceType, tagString }) {
    const TagFilters = parseResourceLocatorTags(tagString).map(t => ({ Key: t.key, Values: [t.value] }));
    const found = await Promise.all(
      this.clients.map(async client => {
        const response = await client.send(new GetResourcesCommand({ ResourceTypeFilters: [resourceTypeFilter(resourceType)], TagFilters }));
        return response.ResourceTagMappingList.map(m => m.ResourceARN);
      }),
    );
    return found.flat();
  }
}

exports.AwsResourceTaggingApiLocator = AwsResourceTaggingApiLocator;
exports.AwsResourceLocatorFactory = {
  async fromConfig(config, logger) {
    const type = config.getOptionalString('aws.locator.type');
    if (type !== undefined && type !== 'resourceTaggingApi') logger.warn(`The stand-in locator knows only the Tagging API, not ${type}`);
    return AwsResourceTaggingApiLocator.fromConfig(config);
  },
};
