import {
  DefaultNamespaceEntityPolicy,
  type Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
} from '@backstage/catalog-model';

// The same policies the catalog applies to every entity it ingests.
const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

/** Undefined when the catalog would accept the entity, otherwise why it would not. */
export async function validateEntity(entity: Entity): Promise<string | undefined> {
  try {
    await policy.enforce(entity);
    if (!(await resourceEntityV1alpha1Validator.check(entity))) return 'not a valid Resource entity';
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
