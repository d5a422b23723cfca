'use strict';
// The annotation keys the AWS Labs ECS tab reads.
exports.AWS_ECS_SERVICE_ARN_ANNOTATION = 'aws.amazon.com/amazon-ecs-service-arn';
exports.AWS_ECS_SERVICE_TAGS_ANNOTATION = 'aws.amazon.com/amazon-ecs-service-tags';
