'use strict';
exports.AWS_SDK_CUSTOM_USER_AGENT = 'backstage-plugins-for-aws';

/**
 * The one of `names` the entity has, with its value; undefined when it has
 * none or several (the tab then answers "Annotation not found").
 */
exports.getOneOfEntityAnnotations = function getOneOfEntityAnnotations(entity, names) {
  const annotations = entity.metadata.annotations;
  if (!annotations) return undefined;
  const present = Object.keys(annotations).filter(key => names.includes(key));
  return present.length === 1 ? { name: present[0], value: annotations[present[0]] } : undefined;
};
